package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, driven through chromedriver's W3C WebDriver HTTP API with
 * java.net.http and Jackson (both already on the test class path). Selenium's Java client would
 * bring some thirty jars and a driver manager that looks for drivers online; the dozen endpoints
 * the console tests use (new session, navigate, find, type, click, execute script, screenshot)
 * are plain JSON over HTTP.
 *
 * <p>Chromium and chromedriver come from the project's scripts/chromium (Debian's chromium and
 * chromium-driver packages), which the test runs when {@code WEIR_INSTALL_TEST_DEPS=1} (as
 * {@code ./weir test} sets it). Without them the test fails and says how to install them.
 */
final class Chrome implements AutoCloseable {
    static final Path SCRIPT = Path.of("..", "scripts", "chromium").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;

    private Chrome(Process driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** The browser and driver paths scripts/chromium reports (installing them first when allowed). */
    static List<String> paths() throws Exception {
        boolean install = "1".equals(System.getenv("WEIR_INSTALL_TEST_DEPS"));
        List<String> cmd = install ? List.of("bash", SCRIPT.toString()) : List.of("bash", SCRIPT.toString(), "--check");
        record Run(int exit, List<String> lines) {}
        Run run = Installers.exclusively(() -> {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> printed = new String(p.getInputStream().readAllBytes()).lines().toList();
            return new Run(p.waitFor(), printed);
        });
        List<String> lines = run.lines();
        if (run.exit() != 0 || lines.size() < 2) {
            throw new IllegalStateException("headless Chromium and chromedriver are needed for the console's browser tests and are "
                    + "not installed: run scripts/chromium (as root), or run the suite with WEIR_INSTALL_TEST_DEPS=1 as ./weir test does");
        }
        return lines.subList(lines.size() - 2, lines.size());
    }

    /** Starts chromedriver on a free port and a headless Chromium session with a fresh profile under {@code profile}. */
    static Chrome start(Path profile) throws Exception {
        List<String> paths = paths();
        int port = ApplianceProcess.freePort();
        Process driver = new ProcessBuilder(paths.get(1), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromedriver.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> r = probe.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).path("value").path("ready").asBoolean()) break;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !driver.isAlive()) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver did not become ready");
            }
            Thread.sleep(100);
        }
        Files.createDirectories(profile);
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", paths.get(0));
        var args = options.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile)) args.add(a);
        JsonNode created;
        try {
            created = call(HttpClient.newHttpClient(), "POST", base + "/session", caps);
        } catch (RuntimeException e) {
            driver.destroyForcibly();
            throw e;
        }
        return new Chrome(driver, base, created.path("value").path("sessionId").asText());
    }

    void open(String url) {
        post("/url", JSON.createObjectNode().put("url", url));
    }

    String url() {
        return get("/url").asText();
    }

    /** Types into the element {@code css} selects. */
    void type(String css, String text) {
        String id = find(css);
        var body = JSON.createObjectNode().put("text", text);
        post("/element/" + id + "/value", body);
    }

    void click(String css) {
        // Every click in the console's tests submits a form. WebDriver's click may return before the
        // answer's page is in (on a busy machine the old page was read after it): the old document is
        // marked, and the click is done when a document without the mark has loaded.
        script("document.__weirBeforeClick = true; return true;");
        post("/element/" + find(css) + "/click", JSON.createObjectNode());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!loadedAfterClick()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the page a click on " + css + " submits did not load");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private boolean loadedAfterClick() {
        try {
            return script("return document.__weirBeforeClick === undefined && document.readyState === 'complete';").asBoolean(false);
        } catch (RuntimeException navigating) {
            return false; // the old page is going away: no document to ask yet
        }
    }

        /** Picks the option with this value in the select {@code css} selects. */
    void choose(String css, String value) {
        script("var s = document.querySelector(arguments[0]); s.value = arguments[1]; return s.value;", css, value);
    }

    /** The text of every element {@code css} selects, in document order. */
    List<String> texts(String css) {
        JsonNode v = script("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());", css);
        List<String> out = new ArrayList<>();
        v.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The text of the first element {@code css} selects, or null. */
    String text(String css) {
        List<String> t = texts(css);
        return t.isEmpty() ? null : t.getFirst();
    }

    int count(String css) {
        return texts(css).size();
    }

    JsonNode script(String js, Object... args) {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        var a = body.putArray("args");
        for (Object o : args) a.add(String.valueOf(o));
        return post("/execute/sync", body);
    }

    /** Saves a PNG screenshot of the viewport. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(get("/screenshot").asText()));
    }

    private String find(String css) {
        JsonNode v = post("/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        if (!v.hasNonNull(ELEMENT)) {
            throw new IllegalStateException("no element " + css + " on " + url() + " (driver said " + v + "); the page says: "
                    + script("return document.body ? document.body.innerText : '';").asText());
        }
        return v.path(ELEMENT).asText();
    }

    private JsonNode get(String path) {
        return call(http, "GET", base + "/session/" + session + path, null).path("value");
    }

    private JsonNode post(String path, JsonNode body) {
        return call(http, "POST", base + "/session/" + session + path, body).path("value");
    }

    private static JsonNode call(HttpClient http, String method, String url, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            b = switch (method) {
                case "GET" -> b.GET();
                case "DELETE" -> b.DELETE();
                default -> b.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            };
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + url + " answered " + r.statusCode() + ": "
                        + node.path("value").path("message").asText(r.body()));
            }
            return node;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call(http, "DELETE", base + "/session/" + session, null);
        } catch (RuntimeException ignored) {
            // the browser is going away anyway
        }
        driver.destroy();
        if (!driver.waitFor(10, TimeUnit.SECONDS)) driver.destroyForcibly().waitFor();
    }
}
