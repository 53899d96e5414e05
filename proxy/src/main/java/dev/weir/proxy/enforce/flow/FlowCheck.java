package dev.weir.proxy.enforce.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Information flow: every path a part of a request <em>reads</em> must be readable in clear
 * in the caller's read view (docs/threat-model.md, "Information flow"), or the part is refused
 * FORBIDDEN, naming the path and never a value. Otherwise {@code ssn = :guess},
 * {@code begins_with(ssn, :p)}, {@code SET name = ssn} or {@code ADD salary :d} with
 * {@code ALL_NEW} would move or reveal a value the caller may not see.
 *
 * <p>What a part reads ({@link #eachRead}):
 * <ul>
 *   <li>a read (GetItem, Query, Scan, a BatchGetItem or TransactGetItems part): its key
 *       condition, filter and their legacy twins, and every attribute of its keys and
 *       {@code ExclusiveStartKey}. Not its projection: a projection decides nothing, and under
 *       a restricted view weir applies it to the item as the view shows it
 *       ({@code enforce/Projections}, {@code read/Pager});</li>
 *   <li>a write (PutItem, UpdateItem, DeleteItem, and their parts in BatchWriteItem and
 *       TransactWriteItems) and a ConditionCheck: its condition ({@code ConditionExpression} or
 *       {@code Expected}) except the attributes of the {@code Key} it names (the caller knows
 *       their values; whether an item is stored under a named key is declassified); the
 *       right-hand sides of {@code SET} ({@code if_not_exists}, {@code list_append},
 *       arithmetic); the targets of {@code ADD} and {@code DELETE}, which read the stored value;
 *       every proper prefix of a written path ({@code SET a.b}, {@code SET a[3]},
 *       {@code REMOVE a[1]} read {@code a}: whether it is a map, a list, how long); the same for
 *       {@code AttributeUpdates}; and its key attributes when the write returns values
 *       ({@code ReturnValues} other than {@code NONE}, {@code ReturnValuesOnConditionCheckFailure}
 *       {@code ALL_OLD}).</li>
 * </ul>
 * A caller whose view is empty may not ask for returned values at all (as AWS's
 * {@code dynamodb:ReturnValues} condition key would refuse them).
 */
public final class FlowCheck {
    private FlowCheck() {}

    /** The operations whose parts act as a read of items. */
    private static final Set<Operation> READS = EnumSet.of(Operation.GetItem, Operation.Query, Operation.Scan);

    /**
     * Refuses the part (FORBIDDEN) when it reads a path the view does not show in clear, or asks
     * for returned values with an empty view.
     *
     * @param container the operation the part belongs to (its own for a single request)
     */
    public static void check(Part part, Operation container, ReadView view, Refusals refuse) {
        if (view.isUnrestricted()) return;
        if (view.isEmpty() && returnsValues(part)) {
            throw refuse.forbidden("it asks for the item's values (" + returnValuesAsked(part) + "), but the caller may read "
                    + "nothing of the table");
        }
        eachRead(part, container, p -> {
            if (!view.canReadInClear(p)) throw readsHidden(refuse, p);
        });
    }

    /** The refusal of a part that reads {@code p}. */
    public static Refusal readsHidden(Refusals refuse, Path p) {
        return refuse.forbidden("it tests the field '" + p + "', which the caller may not read in the clear");
    }

    /** Whether the part acts as a read of items (not a write, not a ConditionCheck). */
    public static boolean isRead(Part part, Operation container) {
        return READS.contains(part.acts()) && container != Operation.TransactWriteItems;
    }

    /**
     * Hands {@code to} every path the part reads (see the class comment), in the order met, as
     * often as met: no set is made for it (the audit writer lists them for every request, and
     * {@link #check} tests each against the view).
     */
    public static void eachRead(Part part, Operation container, Consumer<Path> to) {
        Expressions e = part.expressions();
        if (isRead(part, container)) {
            e.eachTested(to);
            for (String name : part.keyAttributes()) to.accept(Path.of(name));
            return;
        }
        eachConditionRead(part, to);
        for (Update u : updates(e)) eachUpdateRead(u, to);
        if (returnsValues(part)) for (String name : part.keyAttributes()) to.accept(Path.of(name));
    }

    /** The paths the part's condition (ConditionExpression or Expected) reads, the attributes of its Key aside. */
    public static Set<Path> conditionReads(Part part) {
        Set<Path> out = new LinkedHashSet<>();
        eachConditionRead(part, out::add);
        return out;
    }

    private static void eachConditionRead(Part part, Consumer<Path> to) {
        List<String> key = part.keyAttributes();
        for (Condition c : conditions(part.expressions())) {
            for (Path p : c.paths()) if (!(p.isTopLevel() && key.contains(p.attribute()))) to.accept(p);
        }
    }

    /** What an update reads: right-hand sides, ADD and DELETE targets, the proper prefixes of every written path. */
    public static Set<Path> updateReads(Update update) {
        Set<Path> out = new LinkedHashSet<>();
        eachUpdateRead(update, out::add);
        return out;
    }

    private static void eachUpdateRead(Update update, Consumer<Path> to) {
        for (Path p : update.readPaths()) to.accept(p);
        for (UpdateAction a : update.expression().actions()) {
            for (Path p = a.path().parent(); p != null; p = p.parent()) to.accept(p);
            if (a instanceof UpdateAction.Add || a instanceof UpdateAction.Delete) to.accept(a.path());
        }
    }

    /** The part's updates: UpdateExpression and AttributeUpdates (at most one is present). */
    public static List<Update> updates(Expressions e) {
        if (e.update() != null && e.legacy().update() != null) return List.of(e.update(), e.legacy().update());
        if (e.update() != null) return List.of(e.update());
        return e.legacy().update() != null ? List.of(e.legacy().update()) : List.of();
    }

    private static List<Condition> conditions(Expressions e) {
        if (e.condition() != null && e.legacy().condition() != null) return List.of(e.condition(), e.legacy().condition());
        if (e.condition() != null) return List.of(e.condition());
        return e.legacy().condition() != null ? List.of(e.legacy().condition()) : List.of();
    }

    /** Whether the part asks the store for stored values: ReturnValues not NONE, or ReturnValuesOnConditionCheckFailure ALL_OLD. */
    public static boolean returnsValues(Part part) {
        return returnValuesAsked(part) != null;
    }

    private static String returnValuesAsked(Part part) {
        String rv = text(part.body().get("ReturnValues"));
        if (rv != null && !rv.equals("NONE")) return "ReturnValues " + rv;
        String onFailure = text(part.body().get("ReturnValuesOnConditionCheckFailure"));
        if ("ALL_OLD".equals(onFailure)) return "ReturnValuesOnConditionCheckFailure ALL_OLD";
        return null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
