package dev.weir.appliance.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.appliance.config.ConfigLoader.PrincipalEntry;
import dev.weir.appliance.config.ConsoleConfig;
import dev.weir.appliance.lifecycle.RunningTriggers;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.proxy.policy.PolicySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The web console (docs/console.md) on its own listener: server-rendered pages, one small
 * script and one style sheet served from weir itself, nothing from elsewhere.
 *
 * <p>Security, in the order a request meets it: the Host header must name the listener (a page
 * of another site that rebinds its name to this address gets 421); every page but sign-in and the
 * two static files needs a session cookie ({@link Sessions}); every POST must carry the session's
 * CSRF token (sign-in: a token bound to a cookie set with the form) and, when the browser sends an
 * Origin, come from this origin; every action is audited ({@link ConsoleEvents}) before it is done,
 * and an action whose record the audit refuses (queue full) is refused with 503. Every response
 * says {@code Content-Security-Policy: default-src 'self'}, {@code X-Frame-Options: DENY} and
 * {@code Cache-Control: no-store}. Every name a page shows is escaped ({@link Html}).
 */
public final class Console implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    static final String COOKIE = "weir_console";
    static final String SIGNIN_COOKIE = "weir_console_signin";
    static final int MAX_FORM = 16 * 1024;
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /**
     * What the console reads. {@code audit} is required: a console whose actions cannot be audited does not start.
     *
     * @param feed      the live ring the audit pipeline fills
     * @param auditFile the local JSON lines audit file (the sink named "file"), or null
     * @param triggers  the trigger worker, or null when none runs
     */
    public record Sources(Supplier<PolicySnapshot> policy, Path policyDir, Supplier<List<PrincipalEntry>> principals,
                          AuditPipeline audit, LiveFeed feed, Path auditFile, List<Map<String, Object>> sinkSpecs, Path home,
                          RunningTriggers triggers) {}

    /** A request the console answers with an error page and this status. */
    private static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** One request, read. */
    private record Req(HttpExchange ex, String method, String path, Map<String, String> query, Map<String, String> form,
                       Map<String, String> cookies, String source) {}

    private final ConsoleConfig config;
    private final Sources src;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Sessions sessions;
    private final Admins admins;
    private final SignInThrottle throttle = new SignInThrottle(System::nanoTime);
    private final ChainChecks chains;
    private final Set<String> hosts = new HashSet<>();
    private final byte[] script;
    private final byte[] style;

    private Console(ConsoleConfig config, Sources src) throws IOException {
        if (src.audit() == null) {
            throw new IllegalArgumentException("the console needs the audit (audit.mode async or sync): every console action is audited");
        }
        this.config = config;
        this.src = src;
        this.sessions = new Sessions(config.sessionTtl(), ConsoleConfig.MAX_SESSION, Clock.systemUTC());
        this.admins = new Admins(src.principals(), config.adminRoles());
        this.chains = ChainChecks.of(src.sinkSpecs(), src.home());
        this.script = resource("console.js");
        this.style = resource("console.css");
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 32);
        int port = server.getAddress().getPort();
        InetAddress bound = server.getAddress().getAddress();
        if (!bound.isAnyLocalAddress()) {
            hosts.add(hostPort(config.host(), port));
            hosts.add(hostPort(bound.getHostAddress(), port));
            if (bound.isLoopbackAddress()) {
                hosts.add("localhost:" + port);
                hosts.add("127.0.0.1:" + port);
                hosts.add("[::1]:" + port);
            }
        }
        this.executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("weir-console-", 0).daemon().factory());
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts the console listener. */
    public static Console start(ConsoleConfig config, Sources sources) throws IOException {
        return new Console(config, sources);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Console.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("console resource " + name + " is missing from the build");
            return in.readAllBytes();
        }
    }

    // ---- dispatch ----

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (Refusal r) {
                send(ex, r.status, "text/html; charset=utf-8", Layout.bare("Refused", "<p class=\"error\" id=\"refusal\">"
                        + Html.text(r.getMessage()) + "</p><p><a href=\"/live\">Back</a></p>").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("console: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            try {
                send(ex, 500, "text/plain; charset=utf-8", "internal error".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // the response was already under way
            }
        }
    }

    private void route(HttpExchange ex) throws IOException, Refusal {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!hosts.isEmpty() && (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT)))) {
            throw new Refusal(421, "This console answers only to its own address.");
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (method.equals("GET") && path.equals("/static/console.js")) {
            send(ex, 200, "text/javascript; charset=utf-8", script);
            return;
        }
        if (method.equals("GET") && path.equals("/static/console.css")) {
            send(ex, 200, "text/css; charset=utf-8", style);
            return;
        }
        if (!method.equals("GET") && !method.equals("POST")) throw new Refusal(405, "Only GET and POST.");
        if (path.equals("/favicon.ico")) throw new Refusal(404, "No icon.");
        Req req = read(ex, method, path);
        if (method.equals("POST")) {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
                throw new Refusal(403, "Cross-origin request refused.");
            }
        }
        if (path.equals("/signin")) {
            if (method.equals("GET")) signInForm(req, null, 200);
            else signIn(req);
            return;
        }
        Sessions.Session s = sessions.find(req.cookies().get(COOKIE));
        if (s == null) {
            if (method.equals("GET")) {
                redirect(ex, "/signin");
                return;
            }
            throw new Refusal(403, "Not signed in (or the session ended).");
        }
        if (method.equals("POST") && !Sessions.same(req.form().get("csrf"), s.csrf())) {
            throw new Refusal(403, "The form's token is missing or stale: reload the page and try again.");
        }
        switch (method + " " + path) {
            case "GET /", "GET /index.html" -> redirect(ex, "/live");
            case "GET /live" -> page(req, s, "Live decisions", LivePage.body(src.feed(), LivePage.Filter.of(req.query())));
            case "GET /live/data" -> send(ex, 200, "text/html; charset=utf-8",
                    LivePage.data(src.feed(), LivePage.Filter.of(req.query())).getBytes(StandardCharsets.UTF_8));
            case "GET /denials" -> page(req, s, "Denials and leak refusals", DenialsPage.body(src.feed(), policyView()));
            case "GET /policy" -> {
                PolicySnapshot p = src.policy().get();
                page(req, s, "Policy", PolicyPage.body(p.contentHash(), p.table(), policyView(), src.feed() == null ? null
                        : src.feed().reloads()));
            }
            case "GET /explain" -> page(req, s, "Explain", ExplainPage.form(src.principals().get(), src.policy().get().table(), s, Map.of()));
            case "POST /explain" -> {
                List<PrincipalEntry> principals = src.principals().get();
                PolicySnapshot p = src.policy().get();
                ExplainPage.Result r = ExplainPage.explain(principals, p.table(), policyView(), req.form());
                audit(ConsoleEvents.explained(s, req.source(), r.table(), r.summary()));
                respond(req, "Explain", s, ExplainPage.form(principals, p.table(), s, req.form()) + r.html());
            }
            case "GET /replay" -> page(req, s, "Replay", ReplayPage.form(s, "", src.auditFile()));
            case "POST /replay" -> {
                String folder = req.form().getOrDefault("folder", "");
                audit(ConsoleEvents.replayed(s, req.source(), "replay of " + folder + " requested"));
                ReplayPage.Result r = ReplayPage.replay(folder, src.auditFile(), src.principals().get());
                audit(ConsoleEvents.replayed(s, req.source(), r.summary()));
                respond(req, "Replay", s, ReplayPage.form(s, folder, src.auditFile()) + r.html());
            }
            case "GET /audit" -> page(req, s, "Audit sinks", AuditPage.body(src.audit().counters(), chains, s));
            case "POST /audit/verify" -> {
                String sink = req.form().getOrDefault("sink", "");
                audit(ConsoleEvents.verified(s, req.source(), "verify chain of sink " + sink));
                if (chains.verify(sink) == null) throw new Refusal(404, "No chained sink named " + sink + ".");
                redirect(ex, "/audit");
            }
            case "GET /triggers" -> page(req, s, "Triggers and streams", TriggersPage.body(src.triggers(), src.policy().get().table(), src.feed()));
            case "POST /signout" -> {
                audit(ConsoleEvents.signedOut(s, req.source()));
                sessions.close(s.id());
                ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                redirect(ex, "/signin");
            }
            default -> throw new Refusal(404, "No such page.");
        }
    }

    private PolicyView policyView() {
        return PolicyView.read(src.policyDir(), src.policy().get().contentHash());
    }

    /** A page view: audited, then shown. */
    private void page(Req req, Sessions.Session s, String title, String body) throws IOException, Refusal {
        String q = req.ex().getRequestURI().getRawQuery();
        audit(ConsoleEvents.viewed(s, req.source(), req.path() + (q == null ? "" : "?" + q)));
        respond(req, title, s, body);
    }

    private void respond(Req req, String title, Sessions.Session s, String body) throws IOException {
        send(req.ex(), 200, "text/html; charset=utf-8", Layout.page(title, req.path(), s, body).getBytes(StandardCharsets.UTF_8));
    }

    /** Records a console action; refuses the action when the audit does not take its record. */
    private void audit(AuditEvent e) throws Refusal {
        if (src.audit().publish(e) < 0) {
            throw new Refusal(503, "The audit did not take the record of this action (its queue is full), so it was not done.");
        }
    }

    // ---- sign-in ----

    private void signInForm(Req req, String message, int status) throws IOException {
        if (message == null && sessions.find(req.cookies().get(COOKIE)) != null) {
            redirect(req.ex(), "/live");
            return;
        }
        // a browser's other sign-in page loads (a second tab, a redirected fetch) keep the token its form holds
        String held = req.cookies().get(SIGNIN_COOKIE);
        String token = held != null && held.matches("[A-Za-z0-9_-]{43}") ? held : sessions.token();
        req.ex().getResponseHeaders().add("Set-Cookie", SIGNIN_COOKIE + "=" + token
                + "; Path=/signin; HttpOnly; SameSite=Strict; Max-Age=900");
        StringBuilder b = new StringBuilder();
        if (message != null) b.append("<p class=\"error\" id=\"signin-error\">").append(Html.text(message)).append("</p>");
        b.append("<form id=\"signin\" method=\"post\" action=\"/signin\">")
                .append("<input type=\"hidden\" name=\"signin_token\" value=\"").append(Html.text(token)).append("\">")
                .append("<label>Access key id <input name=\"access_key_id\" id=\"access_key_id\" autocomplete=\"username\" required></label>")
                .append("<label>Secret access key <input type=\"password\" name=\"secret\" id=\"secret\" autocomplete=\"current-password\" required></label>")
                .append("<button type=\"submit\" id=\"signin-go\">Sign in</button></form>")
                .append("<p class=\"note\">A principal of principals.yaml holding one of the roles ")
                .append(Html.list(config.adminRoles())).append(" signs in with its key pair.</p>");
        send(req.ex(), status, "text/html; charset=utf-8", Layout.bare("Sign in to the weir console", b.toString())
                .getBytes(StandardCharsets.UTF_8));
    }

    private void signIn(Req req) throws IOException, Refusal {
        if (!Sessions.same(req.cookies().get(SIGNIN_COOKIE), req.form().get("signin_token"))) {
            signInForm(req, "The sign-in form expired: try again.", 403);
            return;
        }
        if (!throttle.allows(req.source())) {
            src.audit().publish(ConsoleEvents.throttled(req.source()));
            signInForm(req, "Too many refused sign-ins from this address: wait a few minutes.", 429);
            return;
        }
        switch (admins.signIn(req.form().get("access_key_id"), req.form().get("secret"))) {
            case Admins.Refused r -> {
                throttle.failed(req.source());
                src.audit().publish(ConsoleEvents.refused(r, req.source()));
                log.warn("console: sign-in refused from {}", req.source());
                signInForm(req, "Sign-in refused.", 403);
            }
            case Admins.Admitted a -> {
                Sessions.Session s = sessions.open(a.principal(), a.roles(), a.accessKeyId());
                if (src.audit().publish(ConsoleEvents.signedIn(s, req.source())) < 0) {
                    sessions.close(s.id());
                    throw new Refusal(503, "The audit did not take the record of this sign-in, so it was refused.");
                }
                throttle.succeeded(req.source());
                log.info("console: {} signed in from {}", a.principal(), req.source());
                HttpExchange ex = req.ex();
                ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                        + sessions.cookieSeconds());
                ex.getResponseHeaders().add("Set-Cookie", SIGNIN_COOKIE + "=; Path=/signin; HttpOnly; SameSite=Strict; Max-Age=0");
                redirect(ex, "/live");
            }
        }
    }

    // ---- HTTP plumbing ----

    private static Req read(HttpExchange ex, String method, String path) throws IOException, Refusal {
        Map<String, String> query = parse(ex.getRequestURI().getRawQuery());
        Map<String, String> form = Map.of();
        if (method.equals("POST")) {
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                throw new Refusal(415, "Forms only.");
            }
            byte[] body = ex.getRequestBody().readNBytes(MAX_FORM + 1);
            if (body.length > MAX_FORM) throw new Refusal(413, "Form too large.");
            form = parse(new String(body, StandardCharsets.UTF_8));
        }
        Map<String, String> cookies = new HashMap<>();
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) cookies.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return new Req(ex, method, path, query, form, cookies, ex.getRemoteAddress().getAddress().getHostAddress());
    }

    private static Map<String, String> parse(String raw) throws Refusal {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            }
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "Malformed form or query.");
        }
        return out;
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        send(ex, 303, null, new byte[0]);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        if (type != null) h.set("Content-Type", type);
        h.set("Content-Security-Policy", CSP);
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own form posts
        h.set("Referrer-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        h.set("Pragma", "no-cache");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
