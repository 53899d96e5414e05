package dev.weir.proxy.enforce.request;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential check ({@link ExpressionDifferentialFuzzTest#check}) on seeded respellings of
 * every committed input ({@link SloppySpelling}: keyword case, spacing, {@code or#i},
 * {@code AND(}), so {@code ./weir test} tries the sloppy spellings the issue names on every
 * seed without Jazzer. A failure names the input and the seed; {@code -Dweir.seed=N} runs that
 * seed alone.
 */
class ExpressionDifferentialVariantsTest {
    private static final int VARIANTS = 40;

    @TestFactory
    Stream<DynamicTest> respelledInputsStillAgree() throws IOException, URISyntaxException {
        Long only = Long.getLong("weir.seed");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : inputs()) {
            byte[] bytes = Files.readAllBytes(input);
            tests.add(DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
                for (int i = 0; i < VARIANTS; i++) {
                    long seed = only != null ? only : input.getFileName().toString().hashCode() * 31L + i;
                    byte[] variant = SloppySpelling.variant(bytes, new Random(seed));
                    try {
                        ExpressionDifferentialFuzzTest.check(variant);
                    } catch (AssertionError e) {
                        throw new AssertionError("seed " + seed + " of " + input.getFileName() + ":\n"
                                + new String(variant, java.nio.charset.StandardCharsets.UTF_8) + "\n" + e.getMessage(), e);
                    }
                    if (only != null) break;
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void respellingKeepsTheMeaningAndRunsWordsTogetherWhereTheGrammarAllows() {
        Random random = new Random(7);
        boolean runTogether = false;
        for (int i = 0; i < 200; i++) {
            String text = SloppySpelling.respell("attribute_exists(id) OR #i = :v AND (#a IN (:a, :b))", random);
            assertTrue(text.replaceAll("\\s+", "").equalsIgnoreCase("attribute_exists(id)OR#i=:vAND(#aIN(:a,:b))"), text);
            runTogether |= text.matches("(?i).*\\)\\s*or#i.*");
        }
        assertTrue(runTogether, "never wrote or#i");
        assertEquals("a.b[1]", SloppySpelling.respell("a.b[1]", new Random(1)).trim());
    }

    private static List<Path> inputs() throws IOException, URISyntaxException {
        Path dir = Path.of(ExpressionDifferentialVariantsTest.class.getResource(
                "ExpressionDifferentialFuzzTestInputs/composedExpressionsMeanClientAndPolicy").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
