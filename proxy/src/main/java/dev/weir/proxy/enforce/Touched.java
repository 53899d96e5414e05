package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.enforce.request.Part;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a request reads and writes, for the audit: attribute paths (names, never values), and
 * the key of each item it names, its values shown only where the decision of the request's own
 * operation shows them in the clear ({@code <hidden>} otherwise): for a read, the caller's read
 * view; for a write, its write rule, which covers the keys the caller itself sends. A put writes
 * every top-level attribute of its item, and its key is read from the item by the table's key
 * schema ({@link ItemKeys}).
 */
record Touched(List<String> readPaths, List<String> writtenPaths, List<String> itemKeys) {
    static final Touched NONE = new Touched(List.of(), List.of(), List.of());

    /**
     * What one part touches, its keys shown through {@code plan}: the paths it reads
     * ({@link FlowCheck#eachRead}), the attributes of its keys and the paths it projects (a
     * projection decides nothing, but it names what the caller asked to see); the paths it writes.
     *
     * @param container the operation the part belongs to (its own for a single request)
     * @param itemKeys  the key schemas of the tables the request puts items into
     */
    static Touched of(Part part, Operation container, FieldPlan plan, ItemKeys itemKeys) {
        Distinct read = new Distinct();
        FlowCheck.eachRead(part, container, read);
        for (String name : part.keyAttributes()) read.accept(Path.of(name));
        Expressions e = part.expressions();
        Projection projection = e.anyProjection();
        if (projection != null) projection.paths().forEach(read);
        List<String> put = ItemKeys.attributesPut(part);
        Set<Path> updated = e.update() == null && e.legacy().update() == null ? Set.of() : e.written();
        List<String> written;
        if (updated.isEmpty()) {
            written = List.copyOf(put); // an item's attribute names are distinct already
        } else {
            LinkedHashSet<String> all = new LinkedHashSet<>(put);
            for (Path p : updated) all.add(p.toString());
            written = List.copyOf(all);
        }
        List<ObjectNode> keys = part.keys();
        ObjectNode itemKey = itemKeys.keyOf(part);
        if (itemKey != null) keys.add(itemKey);
        List<String> keyText = keys(keys, plan);
        return new Touched(read.texts(), written, keyText.size() < 2 ? keyText : List.copyOf(new LinkedHashSet<>(keyText)));
    }

    /**
     * Paths in the order first met, each once (as a {@link LinkedHashSet} keeps them), for the few
     * paths of a request without a set's table and entries: a look down the list, hashes compared
     * first ({@link Path#equals}); a set once the list is long.
     */
    private static final class Distinct implements Consumer<Path> {
        private static final int LOOKED_THROUGH = 16;
        private final ArrayList<Path> paths = new ArrayList<>(8);
        private HashSet<Path> many;

        @Override public void accept(Path p) {
            if (many != null) {
                if (many.add(p)) paths.add(p);
                return;
            }
            for (int i = 0, n = paths.size(); i < n; i++) if (paths.get(i).equals(p)) return;
            paths.add(p);
            if (paths.size() > LOOKED_THROUGH) many = new HashSet<>(paths);
        }

        /** The paths as text, in order. */
        List<String> texts() {
            String[] text = new String[paths.size()];
            for (int i = 0; i < text.length; i++) text[i] = paths.get(i).toString();
            return List.of(text);
        }
    }

    /** Both parts' paths and keys, each once, in the order met. */
    Touched plus(Touched o) {
        if (this == NONE) return o;
        if (o == NONE) return this;
        return new Touched(union(readPaths, o.readPaths), union(writtenPaths, o.writtenPaths), union(itemKeys, o.itemKeys));
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Keys as text, {@code id=p-1}, a value the caller may not read in clear as {@code <hidden>}. */
    static List<String> keys(List<ObjectNode> keys, FieldPlan plan) {
        List<String> out = new ArrayList<>();
        for (ObjectNode key : keys) {
            StringBuilder sb = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!sb.isEmpty()) sb.append(',');
                sb.append(e.getKey()).append('=');
                JsonNode v = e.getValue();
                JsonNode only = null;
                if (v.isObject() && v.size() == 1) {
                    only = v.get("S");
                    if (only == null) only = v.get("N");
                }
                String scalar = only == null ? null : only.asText();
                boolean clear = plan.isIdentity() || plan.canReadInClear(Path.of(e.getKey()));
                sb.append(scalar != null && clear ? scalar : "<hidden>");
            }
            out.add(sb.toString());
        }
        return out;
    }
}
