package dev.weir.proxy.enforce.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Respells the expressions of a {@link ClientFragment} input as a careless client would, the
 * meaning kept: keywords in any case, spaces only where two words would otherwise run
 * together, and none between a keyword and a placeholder or a parenthesis ({@code or#i},
 * {@code AND(}, {@code NOT#a}, {@code in(:a,:b)}), tabs and double spaces elsewhere. Names,
 * values, functions (whose names DynamoDB matches exactly) and the header stay as they are.
 */
final class SloppySpelling {
    private static final Pattern TOKEN = Pattern.compile("\\s+|\\[[^\\]]*\\]|[#:]?[A-Za-z0-9_]+|<>|<=|>=|.", Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE");
    private static final String[] SPACES = {" ", " ", "  ", "\t"};

    private SloppySpelling() {}

    static byte[] variant(byte[] input, Random random) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 1; i < lines.length; i++) {
            for (String member : ClientFragment.MEMBERS) {
                if (lines[i].startsWith(member + "=")) {
                    lines[i] = member + "=" + respell(lines[i].substring(member.length() + 1), random);
                }
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    static String respell(String text, Random random) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) if (!m.group().isBlank()) tokens.add(m.group());
        StringBuilder out = new StringBuilder();
        if (random.nextInt(5) == 0) out.append(space(random));
        String previous = null;
        for (String token : tokens) {
            if (previous != null && !token.startsWith("[") && !token.equals(".") && !previous.equals(".")) {
                if (needsSpace(previous, token) || random.nextInt(3) == 0) out.append(space(random));
            }
            out.append(keyword(token) ? anyCase(token, random) : token);
            previous = token;
        }
        if (random.nextInt(5) == 0) out.append(space(random));
        return out.toString();
    }

    /** Whether the two would lex as one token without a space: a word (or placeholder) and a word, a word other than a keyword and a placeholder. */
    private static boolean needsSpace(String previous, String next) {
        boolean wordEnd = isWordChar(previous.charAt(previous.length() - 1));
        if (!wordEnd) return false;
        char first = next.charAt(0);
        if (isWordChar(first)) return true;
        return (first == '#' || first == ':') && !keyword(previous);
    }

    private static boolean keyword(String token) {
        return KEYWORDS.contains(token.toUpperCase(Locale.ROOT));
    }

    private static String anyCase(String word, Random random) {
        StringBuilder w = new StringBuilder();
        for (char c : word.toCharArray()) w.append(random.nextBoolean() ? Character.toLowerCase(c) : Character.toUpperCase(c));
        return w.toString();
    }

    private static String space(Random random) {
        return SPACES[random.nextInt(SPACES.length)];
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
