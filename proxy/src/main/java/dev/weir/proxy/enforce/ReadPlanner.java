package dev.weir.proxy.enforce;

import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ClientRead;
import dev.weir.proxy.enforce.read.Metadata;
import dev.weir.proxy.enforce.read.Order;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.read.StoreRead;
import dev.weir.proxy.enforce.read.WholeRows;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.schema.TableSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan step's part for what leaves the store toward the caller (docs/threat-model.md):
 * <ul>
 *   <li>a Query or Scan by a caller whose view of the table is restricted is paged by weir
 *       ({@link PagedRead}), once its order and rows are known to be the caller's to see
 *       ({@link Order}, {@link WholeRows}): such reads need the table's schema;</li>
 *   <li>a GetItem, BatchGetItem or TransactGetItems under a restricted view is read whole, and
 *       the client's projection applied to the item as the view shows it;</li>
 *   <li>capacity and collection metrics are asked of the store only when every view the
 *       request involves is unrestricted ({@link Metadata}).</li>
 * </ul>
 */
final class ReadPlanner {
    private ReadPlanner() {}

    /** Whether weir pages the request itself: a Query or Scan whose caller's view of the table is restricted. */
    static boolean paged(Decided decided) {
        ParsedRequest request = decided.parsed().request();
        Operation op = request.operation();
        return (op == Operation.Query || op == Operation.Scan) && !decided.of(request.single()).view().isUnrestricted();
    }

    /**
     * The paged read of a Query or Scan ({@link #paged}).
     *
     * @param schema the table's keys and indexes
     * @throws Refusal FORBIDDEN when the caller may not see the read's order or the index's rows;
     *                 INVALID for a read DynamoDB would refuse
     */
    static PagedRead paged(Decided decided, TableSchema schema, Refusals refuse) {
        ParsedRequest request = decided.parsed().request();
        Part part = request.single();
        ReadView view = decided.of(part).view();
        ClientRead read;
        try {
            read = ClientRead.of(request.operation(), part.body(), part.expressions(), schema);
        } catch (dev.weir.protocol.error.DynamoException e) {
            throw Refusals.invalid(e.error());
        }
        Order.refusal(request.operation(), schema, read.index(), view).ifPresent(why -> { throw refuse.forbidden(why); });
        WholeRows.refusal(schema, read.index(), view).ifPresent(why -> { throw refuse.forbidden(why); });
        return new PagedRead(read, StoreRead.of(read, part.table(), schema, view), view, schema.keyAttributes(read.index()));
    }

    /**
     * The client's projection of a GetItem (or a BatchGetItem table, a TransactGetItems entry)
     * when weir reads the item whole and projects it after the view; null when the view is
     * unrestricted (the store projects) or there is no projection.
     */
    static Projection readWhole(Part part, TableDecision d) {
        return d.view().isUnrestricted() ? null : part.expressions().anyProjection();
    }

    /** The request members that ask for metadata the caller may not get, removed from what is forwarded. */
    static List<String> withheldMetadata(Decided decided) {
        List<ReadView> views = new ArrayList<>(decided.decisions().size());
        for (TableDecision d : decided.decisions()) views.add(d.view());
        return Metadata.withheldMembers(decided.parsed().request().body(), views);
    }
}
