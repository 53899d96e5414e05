package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.grammar.DynamoExpressionLexer;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.TokenStream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Text to syntax tree: checks an expression's size, then its operators and nesting
 * ({@link ExpressionBounds}), parses it with the ANTLR grammar and hands the parse tree to the
 * builder of its kind. Nothing outside this package sees parse trees.
 *
 * <p>Clients send the same few expression texts over and over, and an ANTLR parse costs tens
 * of microseconds, so the parse trees of short texts that parsed cleanly are kept (per kind,
 * bounded, dropped wholesale when full). A tree depends on the text alone. With each kept tree
 * goes the last syntax tree built from it without problems, as a {@link BuildTemplate}: the
 * names its placeholders stood for and the types of its values (not the values). A request
 * whose placeholders match gets that syntax tree with its own values put in, without walking
 * the parse tree again; any other request is built from the parse tree as before (and its
 * build becomes the template). Kept trees, their fully read token streams and templates are
 * only ever read afterwards, so threads can share them.
 */
public final class ExpressionParser {
    /** DynamoDB's limit on the length of one expression, in bytes. */
    public static final int MAX_EXPRESSION_BYTES = 4096;
    /** Texts longer than this are parsed every time (they are rare, and their trees are big). */
    static final int MAX_CACHED_CHARS = 512;
    /** Trees kept per kind of expression before the cache starts over. */
    static final int MAX_CACHED_TREES = 1024;

    /** A parse tree, the token stream its builder reads text from, and (when kept) the last clean build's template. */
    private static final class Parsed<T, R> {
        final T tree;
        final TokenStream tokens;
        final boolean kept;
        volatile BuildTemplate<R> template;

        Parsed(T tree, TokenStream tokens, boolean kept) {
            this.tree = tree;
            this.tokens = tokens;
            this.kept = kept;
        }
    }

    private static final Map<String, Parsed<DynamoExpressionParser.ConditionExpressionContext, ConditionExpr>> CONDITIONS =
            new ConcurrentHashMap<>();
    private static final Map<String, Parsed<DynamoExpressionParser.UpdateExpressionContext, UpdateExpr>> UPDATES =
            new ConcurrentHashMap<>();
    private static final Map<String, Parsed<DynamoExpressionParser.ProjectionExpressionContext, List<Path>>> PROJECTIONS =
            new ConcurrentHashMap<>();

    private ExpressionParser() {}

    /** Parses a ConditionExpression, FilterExpression or KeyConditionExpression ({@code parameterName}). */
    public static ConditionExpr condition(String parameterName, String text, Substitutions substitutions) {
        Parsed<DynamoExpressionParser.ConditionExpressionContext, ConditionExpr> p =
                parsed(CONDITIONS, parameterName, ExpressionBounds.Kind.CONDITION, text,
                        DynamoExpressionParser::conditionExpression);
        BuildTemplate<ConditionExpr> template = p.template;
        if (template != null) {
            ConditionExpr reused = template.instantiate(parameterName, substitutions, ValueRebinding::condition);
            if (reused != null) return reused;
        }
        BuildTemplate.Recorder recorder = p.kept ? new BuildTemplate.Recorder(substitutions) : null;
        ConditionBuilder builder = new ConditionBuilder(parameterName, text, p.tokens, recorder != null ? recorder : substitutions);
        ConditionExpr built = builder.build(p.tree);
        if (recorder != null) p.template = recorder.template(parameterName, built, builder.valueContentRead(), ValueRebinding::condition);
        return built;
    }

    /** Parses an UpdateExpression. */
    public static UpdateExpr update(String text, Substitutions substitutions) {
        Parsed<DynamoExpressionParser.UpdateExpressionContext, UpdateExpr> p =
                parsed(UPDATES, "UpdateExpression", ExpressionBounds.Kind.UPDATE, text, DynamoExpressionParser::updateExpression);
        BuildTemplate<UpdateExpr> template = p.template;
        if (template != null) {
            UpdateExpr reused = template.instantiate("UpdateExpression", substitutions, ValueRebinding::update);
            if (reused != null) return reused;
        }
        BuildTemplate.Recorder recorder = p.kept ? new BuildTemplate.Recorder(substitutions) : null;
        UpdateBuilder builder = new UpdateBuilder(text, p.tokens, recorder != null ? recorder : substitutions);
        UpdateExpr built = builder.build(p.tree);
        if (recorder != null) p.template = recorder.template("UpdateExpression", built, builder.valueContentRead(), ValueRebinding::update);
        return built;
    }

    /** Parses a ProjectionExpression into its paths, in the order written. */
    public static List<Path> projection(String text, Substitutions substitutions) {
        Parsed<DynamoExpressionParser.ProjectionExpressionContext, List<Path>> p =
                parsed(PROJECTIONS, "ProjectionExpression", ExpressionBounds.Kind.PROJECTION, text,
                        DynamoExpressionParser::projectionExpression);
        BuildTemplate<List<Path>> template = p.template;
        if (template != null) {
            // A projection has no values: a template is reused only with the same names, whole.
            List<Path> reused = template.instantiate("ProjectionExpression", substitutions, (paths, values) -> paths);
            if (reused != null) return reused;
        }
        BuildTemplate.Recorder recorder = p.kept ? new BuildTemplate.Recorder(substitutions) : null;
        ProjectionBuilder builder = new ProjectionBuilder(text, p.tokens, recorder != null ? recorder : substitutions);
        List<Path> built = builder.build(p.tree);
        if (recorder != null) p.template = recorder.template("ProjectionExpression", built, builder.valueContentRead(), (paths, values) -> paths);
        return built;
    }

    /** The template kept with a condition's text, or null (for tests). */
    static BuildTemplate<ConditionExpr> conditionTemplate(String text) {
        Parsed<DynamoExpressionParser.ConditionExpressionContext, ConditionExpr> p = CONDITIONS.get(text);
        return p == null ? null : p.template;
    }

    /** The build {@link #condition} makes without any kept tree or template (what a reused one must equal; for tests). */
    static ConditionExpr conditionAnew(String parameterName, String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser(parameterName, ExpressionBounds.Kind.CONDITION, text);
        DynamoExpressionParser.ConditionExpressionContext tree = parser.conditionExpression();
        return new ConditionBuilder(parameterName, text, parser.getTokenStream(), substitutions).build(tree);
    }

    /** As {@link #conditionAnew}, for {@link #update}. */
    static UpdateExpr updateAnew(String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser("UpdateExpression", ExpressionBounds.Kind.UPDATE, text);
        DynamoExpressionParser.UpdateExpressionContext tree = parser.updateExpression();
        return new UpdateBuilder(text, parser.getTokenStream(), substitutions).build(tree);
    }

    /** As {@link #conditionAnew}, for {@link #projection}. */
    static List<Path> projectionAnew(String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser("ProjectionExpression", ExpressionBounds.Kind.PROJECTION, text);
        DynamoExpressionParser.ProjectionExpressionContext tree = parser.projectionExpression();
        return new ProjectionBuilder(text, parser.getTokenStream(), substitutions).build(tree);
    }

    /**
     * Whether a condition's text is within DynamoDB's limits on size (4 KB) and operators (300)
     * and weir's on nesting: what weir checks of an expression it writes itself (a client's
     * condition joined with a policy's may pass a limit that neither passes alone).
     */
    public static boolean conditionWithinLimits(String text) {
        return withinLimits(ExpressionBounds.Kind.CONDITION, text);
    }

    /** As {@link #conditionWithinLimits}, for an UpdateExpression. */
    public static boolean updateWithinLimits(String text) {
        return withinLimits(ExpressionBounds.Kind.UPDATE, text);
    }

    /** As {@link #conditionWithinLimits}, for a ProjectionExpression. */
    public static boolean projectionWithinLimits(String text) {
        return withinLimits(ExpressionBounds.Kind.PROJECTION, text);
    }

    private static boolean withinLimits(ExpressionBounds.Kind kind, String text) {
        boolean remember = text != null && text.length() <= MAX_LIMITS_CACHED_CHARS;
        Map<String, Boolean> known = remember ? WITHIN_LIMITS.get(kind) : null;
        Boolean answer = known == null ? null : known.get(text);
        if (answer != null) return answer;
        boolean within;
        try {
            tokens("Expression", kind, text);
            within = true;
        } catch (DynamoException overALimit) {
            within = false;
        }
        if (known != null) {
            if (known.size() >= MAX_CACHED_TREES) known.clear();
            known.put(text, within);
        }
        return within;
    }

    /** Texts up to this long have their {@link #withinLimits} answer kept (weir's own texts: a policy's condition joined with a client's). */
    static final int MAX_LIMITS_CACHED_CHARS = 2048;

    /**
     * The answers of {@link #withinLimits} per kind, by text: the answer depends on the kind and
     * the text alone, and weir writes the same few texts for the same requests (the joins of a
     * request shape with a policy), so the lexing is done once per text (issue 16: it was 2% of a
     * loaded weir's samples under the demo policy). Bounded and dropped wholesale when full, as
     * the trees are.
     */
    private static final Map<ExpressionBounds.Kind, Map<String, Boolean>> WITHIN_LIMITS = new java.util.EnumMap<>(Map.of(
            ExpressionBounds.Kind.CONDITION, new ConcurrentHashMap<>(),
            ExpressionBounds.Kind.UPDATE, new ConcurrentHashMap<>(),
            ExpressionBounds.Kind.PROJECTION, new ConcurrentHashMap<>()));

    /** The kept tree of {@code text}, or a fresh parse (kept if short); a syntax error throws and keeps nothing. */
    private static <T, R> Parsed<T, R> parsed(Map<String, Parsed<T, R>> cache, String parameterName, ExpressionBounds.Kind kind,
                                              String text, Function<DynamoExpressionParser, T> rule) {
        Parsed<T, R> kept = text == null || text.length() > MAX_CACHED_CHARS ? null : cache.get(text);
        if (kept != null) return kept;
        DynamoExpressionParser parser = parser(parameterName, kind, text);
        T tree = rule.apply(parser);
        if (parser.getTokenStream() instanceof BufferedTokenStream tokens) tokens.fill();
        boolean keep = text.length() <= MAX_CACHED_CHARS;
        Parsed<T, R> fresh = new Parsed<>(tree, parser.getTokenStream(), keep);
        if (keep) {
            if (cache.size() >= MAX_CACHED_TREES) cache.clear();
            cache.put(text, fresh);
        }
        return fresh;
    }

    /**
     * A parser over the expression's tokens, once its size (in bytes, before anything else) and
     * then its operators and nesting ({@link ExpressionBounds}, on the tokens) are within bounds.
     * Lexing is linear; only parsing can cost more, so nothing is parsed before the bounds hold.
     */
    private static DynamoExpressionParser parser(String parameterName, ExpressionBounds.Kind kind, String text) {
        DynamoExpressionParser parser = new DynamoExpressionParser(tokens(parameterName, kind, text));
        parser.removeErrorListeners();
        parser.addErrorListener(new SyntaxErrors(parameterName, text));
        return parser;
    }

    /** The expression's tokens, once its size and then its operators and nesting are checked. */
    private static CommonTokenStream tokens(String parameterName, ExpressionBounds.Kind kind, String text) {
        if (text == null || text.isBlank()) {
            throw DynamoException.validation("Invalid " + parameterName + ": The expression can not be empty;");
        }
        long size = utf8Length(text);
        if (size > MAX_EXPRESSION_BYTES) {
            throw DynamoException.validation("Invalid " + parameterName
                    + ": Expression size has exceeded the maximum allowed size; expression size: " + size);
        }
        DynamoExpressionLexer lexer = new DynamoExpressionLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        ExpressionBounds.check(parameterName, text, kind, tokens, tokens.getTokens());
        return tokens;
    }

    /** The text's length in UTF-8, counted without encoding it (a text may be megabytes long). */
    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800 || Character.isSurrogate(c)) n += 2;   // a surrogate pair is 4 bytes
            else n += 3;
        }
        return n;
    }
}
