package dev.weir.policy.format;

import dev.weir.policy.Policies;
import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.parse.PolicyParser;
import dev.weir.policy.predicate.ConditionText;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFormatterTest {

    private static String fmt(String text) {
        return PolicyFormatter.format("p.weir", text).text().orElseThrow();
    }

    @Test
    void canonicalLayoutKeepsComments() {
        String messy = """
                # header comment
                role a    role b extends   a
                network   office=[10.0.0.0/8,"fd00::/8"]


                @id( "r" )   allow [a,b] on table people op [GetItem , Query]   # trailing
                  when ctx.source in office and(ctx.time in 07:00 .. 19:00 "Europe/Berlin" or principal.x== "y")
                     # about the fields
                  fields [ id , address.* , tags[*] ] mask ssn show_last( 4 )   remove [salary,notes]
                  rows where size( item.tags )>= -1
                """;
        String expected = """
                # header comment
                role a
                role b extends a
                network office = [10.0.0.0/8, "fd00::/8"]

                @id("r")
                allow [a, b] on table people op [GetItem, Query] # trailing
                  when ctx.source in office and (ctx.time in 07:00..19:00 "Europe/Berlin" or principal.x == "y")
                  # about the fields
                  fields [id, address.*, tags[*]]
                  mask ssn show_last(4)
                  remove [salary, notes]
                  rows where size(item.tags) >= -1
                """;
        assertEquals(expected, fmt(messy));
        assertEquals(expected, fmt(expected));
    }

    @Test
    void theSamplePolicyIsFormatted() throws Exception {
        String sample = Files.readString(Path.of("..", "conf", "policies", "people.weir"));
        assertEquals(sample, fmt(sample));
    }

    @Test
    void idempotentAndMeaningPreservingOnRandomEdits() {
        Random random = new Random(7);
        String base = Files.exists(Path.of("..", "conf", "policies", "people.weir")) ? read() : Policies.SAMPLE_WITH_INGEST;
        int formatted = 0;
        for (int i = 0; i < 500; i++) {
            String text = jitter(random, base);
            var once = PolicyFormatter.format("p.weir", text);
            if (once.text().isEmpty()) continue;
            formatted++;
            String f = once.text().get();
            assertEquals(f, fmt(f), "idempotent");
            assertEquals(shape(text), shape(f), "same meaning");
        }
        assertTrue(formatted > 400);
    }

    private static String read() {
        try {
            return Files.readString(Path.of("..", "conf", "policies", "people.weir"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whitespace jitter: spaces and newlines added or removed between tokens. */
    private static String jitter(Random random, String text) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false, comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && !comment) quoted = !quoted;
            if (c == '#' && !quoted) comment = true;
            if (c == '\n') comment = false;
            if (quoted || comment) {
                out.append(c);
            } else if (c == ' ' && random.nextInt(4) == 0) {
                out.append(random.nextBoolean() ? "  " : "\n ");
            } else if (c == '\n' && random.nextInt(5) == 0 && i + 1 < text.length() && text.charAt(i + 1) != '#') {
                out.append(random.nextBoolean() ? "\n\n" : "\n");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The meaning of a file, without positions (and without default ids, which name lines). */
    private static List<String> shape(String text) {
        PolicyFile file = PolicyParser.parse("p.weir", text).file().orElseThrow();
        return file.declarations().stream().map(d -> switch (d) {
            case Rule r -> (r.id().explicit() ? r.id().value() : "-") + " " + r.effect() + " " + r.principals() + " " + r.tables()
                    + " " + r.operations() + " " + r.clauses().stream().map(PolicyFormatterTest::clause).toList();
            default -> d.getClass().getSimpleName() + d.toString().replaceAll("p\\.weir:[0-9]+:[0-9]+", "");
        }).toList();
    }

    private static String clause(Clause c) {
        return switch (c) {
            case Clause.When w -> "when " + text(w.condition());
            case Clause.Rows w -> "rows " + text(w.condition());
            case Clause.Require w -> "require " + text(w.condition());
            case Clause.Fields f -> "fields " + f.paths().stream().map(Object::toString).toList();
            case Clause.Action a -> a.keyword() + " " + a.path() + " " + a.action();
            case Clause.Reason r -> "reason " + r.text();
        };
    }

    private static String text(Condition c) {
        return ConditionText.of(c);
    }
}
