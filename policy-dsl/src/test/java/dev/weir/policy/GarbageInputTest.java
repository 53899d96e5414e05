package dev.weir.policy;

import dev.weir.policy.check.Diagnostic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** No input, however broken, makes the loader throw: only diagnostics come out. */
class GarbageInputTest {
    private static final String[] TOKENS = {
            "role", "extends", "allow", "deny", "on", "table", "op", "fields", "mask", "remove", "null", "reason",
            "*", "[", "]", "(", ")", ",", ".", "@", "@id", ":", "\"", "\"x\"", "\"a b\"", "#", "\n", " ", "\t",
            "admin", "analyst", "people", "GetItem", "read", "write", "ssn", "show_last", "show_first", "hash", "unkeyed_sha256",
            "constant", "4", "0", "99999999999999999999", "address.*", "\\", "é", "😀", "\u0000", "\r",
            "when", "rows", "where", "require", "network", "and", "or", "not", "in", "between", "true", "false",
            "==", "!=", "<", ">=", "ctx.source", "ctx.time", "item.region", "principal.region", "principal.regions",
            "10.0.0.0/8", "10.0.0.1/8", "07:00", "..", "25:99", "\"Europe/Berlin\"", "\"Mars/Base\"", "office", "=",
            "hmac", "round", "bucket", "pattern", "(\"[\"", "tags[*]", "[0]", "size", "begins_with", "exists", "-", "1.5"};

    /** A policy using every clause, to mutate. */
    static final String RICH = """
            role reader role writer extends reader
            network office = [10.0.0.0/8, 127.0.0.1, "fd00::/8"]
            @id("r") allow reader on table people op [GetItem, Query]
              when ctx.source in office and ctx.time in 07:00..19:00 "Europe/Berlin" and not ("x" in ctx.tls.subject.ou)
              rows where item.region == principal.region and size(item.tags) < 5 or begins_with(item.name, "A")
              fields [id, name, tags[*], address.*] mask id hmac(key: "k") mask n round(10) mask m bucket(5)
              mask p pattern("[0-9]", "#") remove [address.street, tags[*].secret]
            @id("w") allow writer on table people op write require item.region in principal.regions and item.n between 1 and 9
            @id("d") deny * on table people op Scan when not exists(ctx.tls.subject.ou) reason "no"
            @id("h") deny * on table people op read rows where item.secret == true
            """;

    @Test
    void randomTokensMutationsAndBytesOnlyYieldDiagnostics() {
        Random random = new Random(20240917L);
        int compiled = 0;
        for (int i = 0; i < 6000; i++) {
            String text = switch (i % 3) {
                case 0 -> tokens(random);
                case 1 -> mutate(random, random.nextBoolean() ? Policies.SAMPLE_WITH_INGEST : RICH);
                default -> chars(random);
            };
            LoadResult r;
            try {
                r = Policies.load("g.weir", text, "roles.weir", "role admin\nrole x extends admin\n");
            } catch (Throwable e) {
                fail("loader threw on input " + i + ": " + text, e);
                return;
            }
            try {
                dev.weir.policy.format.PolicyFormatter.format("g.weir", text);
            } catch (Throwable e) {
                fail("formatter threw on input " + i + ": " + text, e);
            }
            if (r.ok()) {
                compiled++;
                continue;
            }
            assertFalse(r.errors().isEmpty(), "refused without an error: " + text);
            for (Diagnostic d : r.errors()) {
                assertFalse(d.message().startsWith("internal error"), () -> d + " on input: " + text);
                if (d.file().equals("g.weir")) {
                    long lines = text.split("\n", -1).length;
                    assertTrue(d.line() >= 1 && d.line() <= lines && d.column() >= 1, () -> d + " on input: " + text);
                }
            }
        }
        assertTrue(compiled > 0, "the generators should produce some valid policies too");
    }

    @Test
    void antlrPrintsNothing() {
        java.io.PrintStream err = System.err, out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream sink = new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8);
        System.setErr(sink);
        System.setOut(sink);
        try {
            Policies.load("g.weir", "allow [ on table \"x op ) $ % @@ mask");
            Policies.load("g.weir", "role\nrole a extends\n");
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        assertTrue(captured.size() == 0, captured::toString);
    }

    private static String tokens(Random random) {
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) out.append(TOKENS[random.nextInt(TOKENS.length)]).append(random.nextBoolean() ? " " : "");
        return out.toString();
    }

    private static String mutate(Random random, String base) {
        StringBuilder out = new StringBuilder(base);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !out.isEmpty(); e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                default -> {
                    int to = Math.min(out.length(), at + random.nextInt(20));
                    List<Character> cut = new ArrayList<>();
                    for (int k = at; k < to; k++) cut.add(out.charAt(k));
                    out.delete(at, to);
                    int where = random.nextInt(out.length() + 1);
                    StringBuilder s = new StringBuilder();
                    cut.forEach(s::append);
                    out.insert(where, s);
                }
            }
        }
        return out.toString();
    }

    private static String chars(Random random) {
        StringBuilder out = new StringBuilder();
        int n = random.nextInt(120);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 7) out.append((char) (32 + random.nextInt(95)));
            else if (kind < 8) out.append('\n');
            else out.appendCodePoint(random.nextInt(0x10FFFF));
        }
        return out.toString();
    }
}
