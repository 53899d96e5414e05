package dev.weir.proxy.enforce.read;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.field.FieldPlan;
import dev.weir.policy.predicate.CompiledCondition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one principal may see of one table in one context: the fields (with their masks) and
 * the rows its <em>read</em> rules give, denies with rows included. Every value that leaves
 * the store toward the caller goes through it: a row it does not {@link #admits admit} is
 * removed whole, an admitted one is {@link #show shown} (fields masked or removed).
 *
 * <p>Built from the decision of a read ({@link #of}): an {@link Allowed} gives its fields and
 * rows; {@link Forbidden} and {@link NotPermitted} give {@link #EMPTY}, which shows no field
 * of no row and reads nothing in clear. For a write's returned values, a failed condition's
 * item and the like, the decision is that of a GetItem by the same principal (see
 * docs/threat-model.md, "The read view").
 */
public final class ReadView {
    /** No field, no row: the view of a caller no read rule allows. */
    public static final ReadView EMPTY = new ReadView(FieldPlan.of(List.of()),
            new RowFilter(List.of(CompiledCondition.FALSE), List.of()), null, true);

    private final FieldPlan fields;
    private final RowFilter rows;
    private final DecisionRequest request;
    private final boolean empty;

    private ReadView(FieldPlan fields, RowFilter rows, DecisionRequest request, boolean empty) {
        this.fields = fields;
        this.rows = rows;
        this.request = request;
        this.empty = empty;
    }

    /**
     * The view a read decision gives.
     *
     * @param decision the decision of a read operation on the table (or of GetItem, for what a write returns)
     * @param request  the request it decided, whose principal and context the row filter reads
     */
    public static ReadView of(Decision decision, DecisionRequest request) {
        return switch (decision) {
            case Allowed a -> of(a.fields(), a.rows(), request);
            case Forbidden f -> EMPTY;
            case NotPermitted n -> EMPTY;
        };
    }

    /** A view of these fields and rows, bound to the request whose principal and context the rows read. */
    public static ReadView of(FieldPlan fields, RowFilter rows, DecisionRequest request) {
        return new ReadView(Objects.requireNonNull(fields, "fields"), Objects.requireNonNull(rows, "rows"),
                Objects.requireNonNull(request, "request"), false);
    }

    /** The fields the caller sees, and how ({@link #EMPTY}: none). */
    public FieldPlan fields() {
        return fields;
    }

    /** The rows the caller sees ({@link #EMPTY}: none). */
    public RowFilter rows() {
        return rows;
    }

    /** The request the view is bound to; null for {@link #EMPTY}. */
    public DecisionRequest request() {
        return request;
    }

    /** True for the view of a caller no read rule allows: nothing is shown. */
    public boolean isEmpty() {
        return empty;
    }

    /**
     * True when the caller sees every field in clear and every row: the store's answer may pass
     * unchanged, metadata included, and the store may page the read itself.
     */
    public boolean isUnrestricted() {
        return !empty && fields.isIdentity() && rows.isAll();
    }

    /**
     * Whether the value at a path, and everything under it, is shown unmasked. A name is one
     * attribute (or map key) as written: {@code Path.of("a.b")} is the attribute named
     * {@code a.b}, never the key {@code b} of {@code a}.
     */
    public boolean canReadInClear(Path path) {
        if (empty) return false;
        return fields.isIdentity() || fields.canReadInClear(path);
    }

    /** Whether every one of these top-level attributes is shown unmasked (the attributes of a key, say). */
    public boolean readsInClear(Collection<String> attributes) {
        for (String a : attributes) if (!canReadInClear(Path.of(a))) return false;
        return true;
    }

    /** Whether the caller sees this row; {@code item} must be the whole stored item (the row filter may read any of it). */
    public boolean admits(Map<String, AttributeValue> item) {
        if (empty) return false;
        return rows.test(request, item);
    }

    /** The item as the caller sees it: fields masked or removed. Apply only to an item the view {@link #admits}. */
    public Map<String, AttributeValue> show(Map<String, AttributeValue> item) {
        if (empty) return Map.of();
        return fields.redact(item);
    }

    @Override public String toString() {
        return empty ? "ReadView[empty]" : "ReadView[" + fields + ", rows " + rows + "]";
    }
}
