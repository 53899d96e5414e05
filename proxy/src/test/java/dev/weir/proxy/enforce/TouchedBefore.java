package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.enforce.request.Part;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Touched#of} as it was written before it listed paths without sets (issue 16), with the
 * sets of {@code FlowCheck.reads}, {@code Expressions.tested} and {@code Expressions.projected}
 * of that time (since removed): the oracle of {@link TouchedTest}.
 */
final class TouchedBefore {
    private TouchedBefore() {}

    static Touched of(Part part, Operation container, FieldPlan plan, ItemKeys itemKeys) {
        Set<Path> read = reads(part, container);
        for (String name : part.keyAttributes()) read.add(Path.of(name));
        Projection projection = part.expressions().anyProjection();
        if (projection != null) read.addAll(projection.paths());
        String[] readText = new String[read.size()];
        int i = 0;
        for (Path p : read) readText[i++] = p.toString();
        List<String> put = ItemKeys.attributesPut(part);
        Set<Path> updated = part.expressions().written();
        List<String> written;
        if (updated.isEmpty()) {
            written = List.copyOf(put);
        } else {
            LinkedHashSet<String> all = new LinkedHashSet<>(put);
            for (Path p : updated) all.add(p.toString());
            written = List.copyOf(all);
        }
        List<ObjectNode> keys = part.keys();
        ObjectNode itemKey = itemKeys.keyOf(part);
        if (itemKey != null) keys.add(itemKey);
        List<String> keyText = keys(keys, plan);
        return new Touched(List.of(readText), written, keyText.size() < 2 ? keyText : List.copyOf(new LinkedHashSet<>(keyText)));
    }

    private static Set<Path> reads(Part part, Operation container) {
        Set<Path> out = new LinkedHashSet<>();
        Expressions e = part.expressions();
        if (FlowCheck.isRead(part, container)) {
            out.addAll(tested(e));
            for (String name : part.keyAttributes()) out.add(Path.of(name));
            return out;
        }
        out.addAll(conditionReads(part));
        for (Update u : FlowCheck.updates(e)) out.addAll(updateReads(u));
        if (FlowCheck.returnsValues(part)) for (String name : part.keyAttributes()) out.add(Path.of(name));
        return out;
    }

    private static Set<Path> tested(Expressions e) {
        Set<Path> out = new LinkedHashSet<>();
        if (e.keyCondition() != null) out.addAll(e.keyCondition().paths());
        if (e.filter() != null) out.addAll(e.filter().paths());
        if (e.condition() != null) out.addAll(e.condition().paths());
        if (e.update() != null) out.addAll(e.update().readPaths());
        if (e.legacy().keyCondition() != null) out.addAll(e.legacy().keyCondition().paths());
        if (e.legacy().filter() != null) out.addAll(e.legacy().filter().paths());
        if (e.legacy().condition() != null) out.addAll(e.legacy().condition().paths());
        if (e.legacy().update() != null) out.addAll(e.legacy().update().readPaths());
        return out;
    }

    private static Set<Path> conditionReads(Part part) {
        Set<Path> out = new LinkedHashSet<>();
        List<String> key = part.keyAttributes();
        Expressions e = part.expressions();
        List<Condition> conditions = new ArrayList<>();
        if (e.condition() != null) conditions.add(e.condition());
        if (e.legacy().condition() != null) conditions.add(e.legacy().condition());
        for (Condition c : conditions) {
            for (Path p : c.paths()) if (!(p.isTopLevel() && key.contains(p.attribute()))) out.add(p);
        }
        return out;
    }

    private static Set<Path> updateReads(Update update) {
        Set<Path> out = new LinkedHashSet<>(update.readPaths());
        for (UpdateAction a : update.expression().actions()) {
            for (Path p = a.path().parent(); p != null; p = p.parent()) out.add(p);
            if (a instanceof UpdateAction.Add || a instanceof UpdateAction.Delete) out.add(a.path());
        }
        return out;
    }

    private static List<String> keys(List<ObjectNode> keys, FieldPlan plan) {
        List<String> out = new ArrayList<>();
        for (ObjectNode key : keys) {
            StringBuilder sb = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!sb.isEmpty()) sb.append(',');
                sb.append(e.getKey()).append('=');
                JsonNode v = e.getValue();
                String scalar = v.isObject() && v.size() == 1 && (v.has("S") || v.has("N")) ? v.elements().next().asText() : null;
                boolean clear = plan.isIdentity() || plan.canReadInClear(Path.of(e.getKey()));
                sb.append(scalar != null && clear ? scalar : "<hidden>");
            }
            out.add(sb.toString());
        }
        return out;
    }
}
