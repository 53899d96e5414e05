package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser (Debian's headless Chromium through chromedriver) against a
 * real weir process with the sample policy and principals: sign-in refused and audited, the live
 * page after real SDK requests, the role x field matrix, explain agreeing with what a request got,
 * replay, the audit sinks page and a chain verification; a screenshot of every page under
 * target/console-screenshots, checked by its elements and counts (never by pixels). The security
 * headers, cookie flags and CSRF refusals are checked with plain HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path SHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    static final String ADMIN_KEY = "AKIAWEIRADMIN0000001", ADMIN_SECRET = "weir-admin-secret";

    private Path home;
    private ApplianceProcess weir;
    private Chrome chrome;
    private String console;

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("weir-console-");
        int proxyPort = ApplianceProcess.freePort(), storePort = ApplianceProcess.freePort(), consolePort = ApplianceProcess.freePort();
        // a copy of the sample policy, so that a test can make a reload fail
        Path policies = Files.createDirectories(home.resolve("policies"));
        try (var files = Files.list(ApplianceProcess.CONF.resolve("policies"))) {
            for (Path f : files.toList()) Files.copy(f, policies.resolve(f.getFileName()));
        }
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: true, host: 127.0.0.1, port: %d}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit:
                  file: audit/audit.jsonl
                  sinks: [{name: chain, type: file, dir: audit/chain}]
                console: {host: 127.0.0.1, port: %d, admin_roles: [admin]}
                """.formatted(storePort, proxyPort, policies,
                ApplianceProcess.CONF.resolve("principals.yaml"), consolePort));
        weir = ApplianceProcess.start(home, config, proxyPort, storePort);
        console = "http://127.0.0.1:" + consolePort;
        // the banner's lines follow the ready line, which start() waits for
        String banner = "  console: " + console + "/ (sign in with an admin principal's key pair; docs/console.md)";
        for (int i = 0; i < 100 && !weir.output().contains(banner); i++) Thread.sleep(100);
        assertTrue(weir.output().contains(banner), "the ready banner names the console");
        chrome = Chrome.start(home.resolve("chrome-profile"));
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), ADMIN_KEY, ADMIN_SECRET)) {
            admin.createTable(b -> b.tableName("people")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .billingMode("PAY_PER_REQUEST"));
            admin.putItem(b -> b.tableName("people").item(WalkingSkeletonEndToEndTest.ADA));
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (chrome != null) chrome.close();
        if (weir != null) weir.close();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void signInWithAWrongSecretIsRefusedAndAudited() throws Exception {
        chrome.open(console + "/live");
        assertTrue(chrome.url().endsWith("/signin"), "an unsigned browser is sent to sign in: " + chrome.url());
        chrome.type("#access_key_id", ADMIN_KEY);
        chrome.type("#secret", "not-the-admin-secret");
        chrome.click("#signin-go");
        assertEquals("Sign-in refused.", chrome.text("#signin-error"));
        assertEquals(1, chrome.count("form#signin"));
        shot("signin-refused");
        // the right secret of a principal without an admin role is refused as well
        chrome.type("#access_key_id", "AKIAWEIRANALYST00001");
        chrome.type("#secret", "weir-analyst-secret");
        chrome.click("#signin-go");
        assertEquals("Sign-in refused.", chrome.text("#signin-error"));

        List<JsonNode> refused = awaitAudit(e -> "weir:ConsoleSignIn".equals(e.path("event.action").asText())
                && "UNAUTHENTICATED".equals(e.path("weir.decision").asText()), 2);
        assertEquals("admin", refused.get(0).path("user.name").asText());
        assertTrue(refused.get(0).toString().contains("wrong secret access key"), refused.get(0).toString());
        assertEquals("analyst", refused.get(1).path("user.name").asText());
        String audit = Files.readString(weir.auditFile());
        assertFalse(audit.contains("not-the-admin-secret"), "a typed secret never reaches the audit");
        assertFalse(audit.contains("weir-analyst-secret"), "a typed secret never reaches the audit");
    }

    @Test
    @Order(2)
    void afterAnAllowedAndADeniedRequestTheLivePageListsThemWithCounts() throws Exception {
        signIn();
        try (DynamoDbClient analyst = DynamoClients.as(weir.endpoint(), "AKIAWEIRANALYST00001", "weir-analyst-secret");
             DynamoDbClient support = DynamoClients.as(weir.endpoint(), "AKIAWEIRSUPPORT00001", "weir-support-secret")) {
            Map<String, AttributeValue> item = analyst.getItem(b -> b.tableName("people")
                    .key(Map.of("id", AttributeValue.fromS("p-001")))).item();
            assertEquals("****6789", item.get("ssn").s(), "the analyst got the masked SSN");
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> support.putItem(b -> b.tableName("people")
                    .item(Map.of("id", AttributeValue.fromS("p-009")))));
            assertEquals(400, e.statusCode());
        }
        awaitPage("/live", () -> chrome.count("#decisions tr[data-principal], #decisions tbody tr") >= 4
                && chrome.texts("#decisions tbody tr td:nth-child(2)").contains("support"));
        List<String> principals = chrome.texts("#decisions tbody tr td:nth-child(2)");
        int analystRow = principals.indexOf("analyst") + 1, supportRow = principals.indexOf("support") + 1;
        String analystTr = "#decisions tbody tr:nth-child(" + analystRow + ")";
        String supportTr = "#decisions tbody tr:nth-child(" + supportRow + ")";
        assertEquals("GetItem", chrome.text(analystTr + " td:nth-child(4)"));
        assertEquals("people", chrome.text(analystTr + " td:nth-child(5)"));
        assertEquals("ALLOWED", chrome.text(analystTr + " td.decision"));
        assertEquals("people-analyst-read", chrome.text(analystTr + " td.rules"));
        String masked = chrome.text(analystTr + " td.masked");
        assertTrue(masked.contains("ssn") && masked.contains("email"), "masked fields listed: " + masked);
        assertTrue(chrome.text(analystTr + " td.removed").contains("address.street"));
        assertEquals("PutItem", chrome.text(supportTr + " td:nth-child(4)"));
        assertEquals("NOT_PERMITTED", chrome.text(supportTr + " td.decision"));
        assertEquals("1", chrome.text("#counts-principal tr[data-key=analyst] td.total"));
        assertEquals("1", chrome.text("#counts-principal tr[data-key=support] td.total"));
        assertEquals("2", chrome.text("#counts-principal tr[data-key=admin] td.total"), "createTable and putItem");
        assertEquals("1", chrome.text("#counts-rule tr[data-key='people-analyst-read'] td.total"));
        assertEquals("4", chrome.text("#total-requests"));
        assertEquals("1", chrome.text("#total-denied"));
        shot("live");

        // a filter: the support principal's requests only
        chrome.open(console + "/live?principal=support");
        assertEquals("1", chrome.text("#matching"));
        assertEquals(List.of("support"), chrome.texts("#decisions tbody tr td:nth-child(2)"));

        chrome.open(console + "/denials");
        assertEquals("Denials and leak refusals", chrome.text("h1"));
        assertEquals("1", chrome.text("#denial-kinds td[data-kind='default deny']"));
        assertEquals(List.of("support"), chrome.texts("#denials tbody tr td:nth-child(2)"));
        assertTrue(chrome.text("#denials tbody tr td.reason").contains("default deny"));
        shot("denials");
    }

    @Test
    @Order(3)
    void theMatrixShowsTheSamplePolicysMaskedFields() throws Exception {
        signIn();
        chrome.open(console + "/policy");
        assertEquals("Policy", chrome.text("h1"));
        String analyst = "table.matrix[data-table=people] tr[data-role=analyst] ";
        assertEquals("masked", chrome.text(analyst + "td[data-field=ssn]"));
        assertEquals("masked", chrome.text(analyst + "td[data-field=email]"));
        assertEquals("removed", chrome.text(analyst + "td[data-field='address.street']"));
        assertEquals("shown", chrome.text(analyst + "td[data-field=name]"));
        assertEquals("removed", chrome.text(analyst + "td[data-field='*']"), "salary and anything unlisted");
        String support = "table.matrix[data-table=people] tr[data-role=support] ";
        assertEquals("shown", chrome.text(support + "td[data-field=email]"));
        assertEquals("removed", chrome.text(support + "td[data-field=ssn]"));
        assertEquals("shown", chrome.text("table.matrix[data-table=people] tr[data-role=admin] td[data-field=ssn]"));
        assertEquals("denied", chrome.text("table.matrix[data-table=people] tr[data-role=ingest] td[data-field=ssn]"));
        assertEquals(4, chrome.count("table.matrix[data-table=people] tbody tr"), "one row per role");
        assertEquals(7, chrome.count("#rules tbody tr"), "the sample policy's rules");
        assertTrue(chrome.text("#rules tr[data-rule='people-analyst-bulk-hours'] td:nth-child(5)").contains("office network"));
        assertEquals("The files on disk are this version.", chrome.text("#disk-state"));
        shot("policy");
    }

    @Test
    @Order(4)
    void explainGivesTheDecisionTheRealRequestsGot() throws Exception {
        signIn();
        // what the live page recorded for the analyst's GetItem and the support's PutItem
        chrome.open(console + "/live?principal=analyst");
        String analystRules = chrome.text("#decisions tbody tr td.rules");
        String analystDecision = chrome.text("#decisions tbody tr td.decision");
        chrome.open(console + "/live?principal=support");
        String supportDecision = chrome.text("#decisions tbody tr td.decision");

        explain("analyst", "people", "GetItem");
        assertEquals(analystDecision, chrome.text("#explain-decision"));
        assertEquals(analystRules, chrome.text("#explain-rules"));
        assertTrue(chrome.text("#explain-fields").contains("ssn"));
        assertTrue(chrome.count("#verdicts tr.matched") >= 1);
        shot("explain");
        explain("support", "people", "PutItem");
        assertEquals(supportDecision, chrome.text("#explain-decision"));
        assertEquals("NOT_PERMITTED", chrome.text("#explain-decision"));

        List<JsonNode> explained = awaitAudit(e -> "weir:ConsoleExplain".equals(e.path("event.action").asText()), 2);
        assertEquals("admin", explained.get(0).path("user.name").asText());
        assertTrue(explained.get(0).toString().contains("analyst GetItem on people: ALLOWED"), explained.get(0).toString());
    }

    @Test
    @Order(5)
    void replayListsTheDecisionsAProposedPolicyChanges() throws Exception {
        signIn();
        Path proposed = home.resolve("proposed");
        Files.createDirectories(proposed);
        // the proposal lets support write people: the recorded PutItem would now be allowed
        String policy = Files.readString(ApplianceProcess.CONF.resolve("policies/people.weir")).replace(
                "allow support on table people op [GetItem]", "allow support on table people op [GetItem, PutItem]");
        Files.writeString(proposed.resolve("people.weir"), policy);
        Files.copy(ApplianceProcess.CONF.resolve("policies/schema.yaml"), proposed.resolve("schema.yaml"));
        chrome.open(console + "/replay");
        chrome.type("#replay-folder", proposed.toString());
        chrome.click("#replay-go");
        // the support's PutItem changes; the analyst's reads are listed too, since AuditReplay reports every
        // decision with a row filter (it cannot tell whether the filter is the same); the admin's do not change
        List<String> who = chrome.texts("#changes tbody tr td:nth-child(2)");
        assertEquals(Integer.toString(who.size()), chrome.text("#changed"));
        assertTrue(who.contains("support") && !who.contains("admin"), who.toString());
        String support = "#changes tbody tr:nth-child(" + (who.indexOf("support") + 1) + ") ";
        assertEquals("PutItem", chrome.text(support + "td:nth-child(4)"));
        assertEquals("NOT_PERMITTED", chrome.text(support + "td:nth-child(6)"));
        assertEquals("ALLOWED", chrome.text(support + "td:nth-child(8)"));
        assertEquals("people-support-read", chrome.text(support + "td:nth-child(9)"));
        shot("replay");
    }

    @Test
    @Order(6)
    void auditSinksAndAChainVerification() throws Exception {
        signIn();
        chrome.open(console + "/audit");
        assertEquals(java.util.Set.of("file", "chain", "console"), java.util.Set.copyOf(chrome.texts("#sinks tbody tr td:nth-child(1)")));
        assertEquals(List.of("up", "up", "up"), chrome.texts("#sinks td.health"));
        assertEquals("0", chrome.text("#dropped"));
        assertEquals("Not verified since weir started.", chrome.text("section.chain[data-sink=chain] p.verification"));
        chrome.click("section.chain[data-sink=chain] button");
        String v = chrome.text("section.chain[data-sink=chain] p.verification");
        assertTrue(v.contains("chain intact") && v.contains("complete"), v);
        shot("audit");
        chrome.open(console + "/triggers");
        assertEquals(1, chrome.count("#no-triggers"));
        assertEquals(1, chrome.count("#lag-note"));
        shot("triggers");
    }

    @Test
    @Order(7)
    void everyPageHasItsFrameAndEveryViewIsAudited() throws Exception {
        signIn();
        for (String[] p : new String[][] {{"/live", "Live decisions"}, {"/denials", "Denials and leak refusals"},
                {"/policy", "Policy"}, {"/explain", "Explain"}, {"/replay", "Replay"}, {"/audit", "Audit sinks"},
                {"/triggers", "Triggers and streams"}}) {
            chrome.open(console + p[0]);
            assertEquals(p[1], chrome.text("h1"), p[0]);
            assertEquals(7, chrome.count("header nav a"), p[0]);
            assertEquals(p[0], chrome.script("return document.querySelector('header nav a.here').getAttribute('href');").asText());
            assertEquals("admin", chrome.text("#admin"));
            assertEquals(1, chrome.count("script[src='/static/console.js']"));
            assertEquals(0, chrome.count("script:not([src])"), "no inline script");
            shot("frame" + p[0].replace('/', '-'));
        }
        List<JsonNode> views = awaitAudit(e -> "weir:ConsoleView".equals(e.path("event.action").asText())
                && e.toString().contains("/triggers"), 1);
        assertEquals("admin", views.getFirst().path("user.name").asText());
        // sign out: the session ends, pages send the browser to sign in again
        chrome.click("form.signout button");
        chrome.open(console + "/policy");
        assertTrue(chrome.url().endsWith("/signin"), chrome.url());
    }

    @Test
    @Order(8)
    void headersCookiesAndCsrf() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(console + "/signin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode());
        assertEquals("default-src 'self'", form.headers().firstValue("Content-Security-Policy").orElseThrow().split(";")[0]);
        assertEquals("DENY", form.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("no-store", form.headers().firstValue("Cache-Control").orElseThrow());
        String pre = form.headers().firstValue("Set-Cookie").orElseThrow();
        String token = pre.substring(pre.indexOf('=') + 1, pre.indexOf(';'));
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(console + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "weir_console_signin=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("signin_token=" + token + "&access_key_id=" + ADMIN_KEY
                        + "&secret=" + ADMIN_SECRET)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, in.statusCode());
        String cookie = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("weir_console=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age="), cookie);
        String id = cookie.substring("weir_console=".length(), cookie.indexOf(';'));
        assertEquals(43, id.length(), "256 random bits, base64url");
        // a state-changing request without the session's CSRF token is refused
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(console + "/explain"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "weir_console=" + id)
                .POST(HttpRequest.BodyPublishers.ofString("principal=analyst&table=people&operation=GetItem")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode());
        // a page with the session works; the sign-in form without its cookie-bound token does not
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(console + "/policy")).header("Cookie", "weir_console=" + id)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(console + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("signin_token=x&access_key_id=" + ADMIN_KEY + "&secret=" + ADMIN_SECRET))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        // another site's name for this address is not answered
        URI u = URI.create(console);
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.getOutputStream().write("GET /signin HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertTrue(status.startsWith("HTTP/1.1 421"), status);
        }
    }

    @Test
    @Order(9)
    void theLivePageFollowsNewRequestsWithoutAReload() throws Exception {
        signIn();
        chrome.open(console + "/live");
        long before = Long.parseLong(chrome.text("#total-requests"));
        chrome.script("document.body.setAttribute('data-marker', 'same-document'); return 1;");
        try (DynamoDbClient admin = DynamoClients.as(weir.endpoint(), ADMIN_KEY, ADMIN_SECRET)) {
            admin.describeTable(b -> b.tableName("people"));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Long.parseLong(chrome.text("#total-requests")) < before + 1) {
            if (System.nanoTime() > deadline) throw new AssertionError("the live page did not follow the new request");
            Thread.sleep(250);
        }
        assertEquals("same-document", chrome.script("return document.body.getAttribute('data-marker');").asText(),
                "the script refreshed the data in place; the page was not reloaded");
        assertEquals("DescribeTable", chrome.text("#decisions tbody tr td:nth-child(4)"));
    }

    @Test
    @Order(10)
    void aRefusedReloadIsInTheHistoryWithItsPlace() throws Exception {
        signIn();
        Files.writeString(home.resolve("policies/broken.weir"), "role admin\n@id(\"bad\")\nallow nobody on table people op [GetItem]\n");
        awaitPage("/policy", () -> chrome.count("#reloads tr.denied") >= 1);
        String messages = chrome.text("#reloads tr.denied td.messages");
        assertTrue(messages.matches("(?s).*broken\\.weir:\\d+:\\d+.*"), messages);
        assertEquals("refused", chrome.text("#reloads tr.denied td:nth-child(3)"));
        assertTrue(chrome.text("#disk-state").contains("not the version in force"), chrome.text("#disk-state"));
        shot("policy-reload-refused");
        Files.delete(home.resolve("policies/broken.weir"));
    }

    // ---- helpers ----

    private void signIn() {
        chrome.open(console + "/signin");
        if (chrome.url().endsWith("/live")) return;
        chrome.type("#access_key_id", ADMIN_KEY);
        chrome.type("#secret", ADMIN_SECRET);
        chrome.click("#signin-go");
        assertTrue(chrome.url().endsWith("/live"), "signed in: " + chrome.url());
    }

    private void explain(String principal, String table, String op) {
        chrome.open(console + "/explain");
        chrome.choose("#explain-principal", principal);
        chrome.type("#explain-table", table);
        chrome.choose("#explain-operation", op);
        chrome.click("#explain-go");
    }

    private void awaitPage(String path, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            chrome.open(console + path);
            if (ready.getAsBoolean()) return;
            if (System.nanoTime() > deadline) throw new AssertionError(path + " did not show what was expected in time");
            Thread.sleep(300);
        }
    }

    private List<JsonNode> awaitAudit(java.util.function.Predicate<JsonNode> which, int atLeast) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            List<JsonNode> found = new java.util.ArrayList<>();
            if (Files.exists(weir.auditFile())) {
                for (String line : Files.readAllLines(weir.auditFile())) {
                    if (line.isBlank()) continue;
                    JsonNode e = JSON.readTree(line);
                    if (which.test(e)) found.add(e);
                }
            }
            if (found.size() >= atLeast) return found;
            if (System.nanoTime() > deadline) throw new AssertionError("the audit holds " + found.size() + " such records, not " + atLeast);
            Thread.sleep(200);
        }
    }

    private void shot(String name) throws Exception {
        chrome.screenshot(SHOTS.resolve(name + ".png"));
    }
}
