package dev.weir.protocol.expr.render;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.parse.ReservedWords;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a tree as a careless client would: keywords in any case, spaces only where two words
 * would otherwise run together ({@code or#i = :v}, {@code AND(}, {@code NOT#a}), redundant
 * parentheses, plain names where the name allows it and placeholders of its own spelling
 * elsewhere (several placeholders for one name, one for a repeated value). Parsing the text
 * with {@link #names()} and {@link #values()} gives back the tree.
 */
final class SloppyText {
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    private final Random random;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, AttributeValue> values = new LinkedHashMap<>();
    private StringBuilder out;
    /** Whether operands may be parenthesised (conditions: yes; the update grammar has no such rule). */
    private boolean inCondition;

    SloppyText(Random random) {
        this.random = random;
    }

    Map<String, String> names() { return names; }

    Map<String, AttributeValue> values() { return values; }

    String condition(ConditionExpr c) {
        out = new StringBuilder();
        inCondition = true;
        if (random.nextInt(4) == 0) space(1 + random.nextInt(2));
        condition(c, 0);
        if (random.nextInt(4) == 0) space(1 + random.nextInt(2));
        return out.toString();
    }

    String update(UpdateExpr u) {
        out = new StringBuilder();
        inCondition = false;
        List<Class<?>> sections = new ArrayList<>(List.of(UpdateAction.Set.class, UpdateAction.Remove.class,
                UpdateAction.Add.class, UpdateAction.Delete.class));
        Collections.shuffle(sections, random);
        for (Class<?> kind : sections) {
            boolean first = true;
            for (UpdateAction a : u.actions()) {
                if (!kind.isInstance(a)) continue;
                if (first) keyword(kind.getSimpleName());
                else emit(",");
                first = false;
                path(a.path());
                switch (a) {
                    case UpdateAction.Set s -> {
                        emit("=");
                        if (s.value() instanceof Operand.Arithmetic ar) {
                            operand(ar.left());
                            emit(ar.operator().symbol());
                            operand(ar.right());
                        } else {
                            operand(s.value());
                        }
                    }
                    case UpdateAction.Remove r -> { }
                    case UpdateAction.Add x -> value(x.value().value());
                    case UpdateAction.Delete x -> value(x.value().value());
                }
            }
        }
        return out.toString();
    }

    String projection(List<Path> paths) {
        out = new StringBuilder();
        for (int i = 0; i < paths.size(); i++) {
            if (i > 0) emit(",");
            path(paths.get(i));
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------ conditions

    /** @param level 0 anywhere, 1 inside OR's right or AND's left, 2 inside AND's right or NOT */
    private void condition(ConditionExpr c, int level) {
        int own = switch (c) {
            case ConditionExpr.Or o -> 0;
            case ConditionExpr.And a -> 1;
            case ConditionExpr.Not n -> 2;
            default -> 3;
        };
        boolean wrap = own < level || random.nextInt(8) == 0;
        if (wrap) emit("(");
        switch (c) {
            case ConditionExpr.Or o -> {
                condition(o.left(), 0);
                keyword("OR");
                condition(o.right(), 1);
            }
            case ConditionExpr.And a -> {
                condition(a.left(), 1);
                keyword("AND");
                condition(a.right(), 2);
            }
            case ConditionExpr.Not n -> {
                keyword("NOT");
                condition(n.condition(), 2);
            }
            case ConditionExpr.Compare x -> {
                operand(x.left());
                emit(x.comparator().symbol());
                operand(x.right());
            }
            case ConditionExpr.Between x -> {
                operand(x.operand());
                keyword("BETWEEN");
                operand(x.low());
                keyword("AND");
                operand(x.high());
            }
            case ConditionExpr.In x -> {
                operand(x.operand());
                keyword("IN");
                emit("(");
                for (int i = 0; i < x.candidates().size(); i++) {
                    if (i > 0) emit(",");
                    operand(x.candidates().get(i));
                }
                emit(")");
            }
            case ConditionExpr.AttributeExists x -> call("attribute_exists", new Operand.PathOperand(x.path()));
            case ConditionExpr.AttributeNotExists x -> call("attribute_not_exists", new Operand.PathOperand(x.path()));
            case ConditionExpr.AttributeType x -> call("attribute_type", new Operand.PathOperand(x.path()), x.type());
            case ConditionExpr.BeginsWith x -> call("begins_with", x.operand(), x.prefix());
            case ConditionExpr.Contains x -> call("contains", x.operand(), x.element());
        }
        if (wrap) emit(")");
    }

    private void call(String function, Operand... args) {
        emit(function);
        emit("(");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) emit(",");
            operand(args[i]);
        }
        emit(")");
    }

    private void operand(Operand o) {
        boolean wrap = o instanceof Operand.PathOperand || o instanceof Operand.ValueOperand || o instanceof Operand.Size;
        wrap &= inCondition && random.nextInt(12) == 0;
        if (wrap) emit("(");
        switch (o) {
            case Operand.PathOperand p -> path(p.path());
            case Operand.ValueOperand v -> value(v.value());
            case Operand.Size s -> call("size", s.operand());
            case Operand.IfNotExists f -> call("if_not_exists", new Operand.PathOperand(f.path()), f.fallback());
            case Operand.ListAppend l -> call("list_append", l.first(), l.second());
            case Operand.Arithmetic a -> throw new IllegalArgumentException("arithmetic below the top of a SET");
        }
        if (wrap) emit(")");
    }

    // ------------------------------------------------------------------------------ tokens

    private void path(Path path) {
        boolean first = true;
        for (PathElement e : path.elements()) {
            switch (e) {
                case PathElement.Name n -> {
                    if (!first) emit(".");
                    emit(name(n.name()));
                }
                case PathElement.Index i -> {
                    emit("[");
                    emit(Integer.toString(i.index()));
                    emit("]");
                }
            }
            first = false;
        }
    }

    private String name(String name) {
        boolean plain = name.matches("[a-zA-Z_][a-zA-Z0-9_]*") && !ReservedWords.isReserved(name)
                && !KEYWORDS.contains(name.toUpperCase(Locale.ROOT));
        if (plain && random.nextBoolean()) return name;
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (e.getValue().equals(name) && random.nextInt(3) > 0) return e.getKey();
        }
        String ref;
        do ref = "#" + word(); while (names.containsKey(ref));
        names.put(ref, name);
        return ref;
    }

    private void value(AttributeValue v) {
        for (Map.Entry<String, AttributeValue> e : values.entrySet()) {
            if (e.getValue().equals(v) && random.nextBoolean()) {
                emit(e.getKey());
                return;
            }
        }
        String ref;
        do ref = ":" + word(); while (values.containsKey(ref));
        values.put(ref, v);
        emit(ref);
    }

    private String word() {
        StringBuilder w = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) w.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        return w.toString();
    }

    private void keyword(String word) {
        StringBuilder w = new StringBuilder();
        for (char ch : word.toCharArray()) {
            w.append(random.nextBoolean() ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
        }
        emit(w.toString());
    }

    /** Appends a token: with a space where two words would run together or two '(' would touch, else maybe none. */
    private void emit(String token) {
        if (!out.isEmpty()) {
            char last = out.charAt(out.length() - 1);
            char next = token.charAt(0);
            boolean needed = word(last) && word(next) || last == '(' && next == '(';
            if (needed) space(1 + random.nextInt(2));
            else if (random.nextInt(3) == 0) space(1 + random.nextInt(2));
        }
        out.append(token);
    }

    private void space(int n) {
        for (int i = 0; i < n; i++) out.append(" \t\n ".charAt(random.nextInt(4)));
    }

    private static boolean word(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
