package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctPathsTest {

    /** The trie reports exactly what comparing each path with each earlier one reported, on random path lists. */
    @Test
    void reportsWhatThePairwiseCheckReported() {
        Random random = new Random(411L);
        for (int n = 0; n < 5_000; n++) {
            List<Path> paths = new ArrayList<>();
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) paths.add(randomPath(random));
            Problems fast = new Problems();
            DistinctPaths distinct = new DistinctPaths(fast);
            for (Path p : paths) distinct.add(p);
            Problems slow = pairwise(paths);
            assertEquals(message(slow, Problems.Kind.OVERLAP), message(fast, Problems.Kind.OVERLAP), paths.toString());
            assertEquals(message(slow, Problems.Kind.CONFLICT), message(fast, Problems.Kind.CONFLICT), paths.toString());
            assertEquals(paths, distinct.paths());
        }
    }

    /**
     * A 4 KB projection of 2,000 names (repeated, or through placeholders that all stand for
     * the same 60 KB name) took seconds and gigabytes of messages; it takes milliseconds.
     */
    @Test
    void thousandsOfRepeatedPathsAreCheckedInLinearTime() {
        String repeated = "a" + ",a".repeat(2_000);
        Map<String, String> names = new LinkedHashMap<>();
        StringBuilder placeholders = new StringBuilder("#n0");
        String longName = "x".repeat(60_000);
        for (int i = 0; i < 32; i++) names.put("#n" + i, new String(longName.toCharArray()));   // 32 copies, equal texts
        for (int i = 1; i < 700; i++) placeholders.append(",#n").append(i % 32);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            String one = assertThrows(DynamoException.class,
                    () -> new ExpressionContext(Map.of(), Map.of()).projection(repeated)).error().message();
            assertEquals("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite "
                    + "one of these paths; path one: [a], path two: [a]", one);
            String two = assertThrows(DynamoException.class,
                    () -> new ExpressionContext(names, Map.of()).projection(placeholders.toString())).error().message();
            assertTrue(two.startsWith("Invalid ProjectionExpression: Two document paths overlap"), two.substring(0, 80));
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 1_000_000_000L, "took " + best / 1_000_000 + " ms");
    }

    /** The check the trie replaced, kept as the reference: each path against each earlier one, in order. */
    private static Problems pairwise(List<Path> paths) {
        Problems problems = new Problems();
        List<Path> earlier = new ArrayList<>();
        for (Path path : paths) {
            for (Path other : earlier) {
                List<PathElement> a = other.elements();
                List<PathElement> b = path.elements();
                boolean diverged = false;
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    if (a.get(i).getClass() != b.get(i).getClass()) {
                        problems.report(Problems.Kind.CONFLICT, "Two document paths conflict with each other; must remove or "
                                + "rewrite one of these paths; path one: " + other.toMessageString() + ", path two: "
                                + path.toMessageString());
                        diverged = true;
                        break;
                    }
                    if (!a.get(i).equals(b.get(i))) {
                        diverged = true;
                        break;
                    }
                }
                if (!diverged) {
                    problems.report(Problems.Kind.OVERLAP, "Two document paths overlap with each other; must remove or "
                            + "rewrite one of these paths; path one: " + other.toMessageString() + ", path two: "
                            + path.toMessageString());
                }
            }
            earlier.add(path);
        }
        return problems;
    }

    private static String message(Problems problems, Problems.Kind kind) {
        if (!problems.has(kind)) return null;
        return assertThrows(DynamoException.class, () -> problems.throwIfAny("P", List.of(kind))).error().message();
    }

    private static Path randomPath(Random random) {
        List<PathElement> elements = new ArrayList<>();
        elements.add(new PathElement.Name(String.valueOf((char) ('a' + random.nextInt(2)))));
        int more = random.nextInt(3);
        for (int i = 0; i < more; i++) {
            elements.add(random.nextBoolean() ? new PathElement.Name(String.valueOf((char) ('a' + random.nextInt(2))))
                    : new PathElement.Index(random.nextInt(2)));
        }
        return new Path(elements);
    }
}
