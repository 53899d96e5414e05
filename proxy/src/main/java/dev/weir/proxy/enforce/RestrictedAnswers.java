package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.read.Metadata;
import dev.weir.proxy.enforce.read.ReadAnswer;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

/**
 * The store's 200 answers as a caller whose view of some table is restricted may see them:
 * <ul>
 *   <li>GetItem, BatchGetItem, TransactGetItems: built member by member through the
 *       {@link dev.weir.proxy.enforce.read.ResponsePlan} ({@link ReadAnswer}), each item through
 *       its table's view, then the client's projection;</li>
 *   <li>table descriptions (DescribeTable; CreateTable, UpdateTable, DeleteTable) without the
 *       counts and sizes of the table and its indexes ({@link Metadata#tableResponse});</li>
 *   <li>any other answer without capacity and collection figures, should the store send them
 *       although weir did not ask ({@link Metadata#withholdFromResponse}).</li>
 * </ul>
 * Answers to callers whose every view is unrestricted pass as they are.
 */
final class RestrictedAnswers {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final Set<Operation> READS = EnumSet.of(Operation.GetItem, Operation.BatchGetItem, Operation.TransactGetItems);
    private static final Set<Operation> DESCRIPTIONS = EnumSet.of(Operation.DescribeTable, Operation.CreateTable,
            Operation.UpdateTable, Operation.DeleteTable);

    private RestrictedAnswers() {}

    /** Whether the caller's view of every table the request involves is unrestricted (its answers pass as they are). */
    static boolean unrestricted(Decided decided) {
        return decided.unrestricted(); // Metadata.mayReport over the views, worked out once per request (this runs for every answer)
    }

    /** Whether the answer is a read's that {@link #read} builds. */
    static boolean isRead(Planned planned) {
        return READS.contains(planned.parsed().request().operation()) && !unrestricted(planned.decided());
    }

    /**
     * A GetItem, BatchGetItem or TransactGetItems answer through the views ({@link #isRead}), as
     * the bytes to send: a GetItem answer filtered on its bytes as a page's items are
     * ({@link ReadAnswer#showGetItem}, which reads an answer that is not plain into the item
     * model as before), any other through the tree ({@link #read}), which also decides every
     * answer those decline or cannot read, so errors and refusals are the tree's.
     */
    static ReadAnswer.ShownBytes readBytes(Planned planned, byte[] body) throws IOException {
        ParsedRequest request = planned.parsed().request();
        if (request.operation() == Operation.GetItem) {
            Part part = request.single();
            ReadAnswer.Shape shape = new ReadAnswer.Shape(planned.decided().of(part).view(), planned.plan().of(part.index()).readWhole());
            try {
                ReadAnswer.ShownBytes fast = ReadAnswer.showGetItem(body, shape);
                if (fast != null) return fast;
            } catch (IOException | RuntimeException amiss) {
                // the tree path below reads it, and refuses it, exactly as it always has
            }
        }
        ReadAnswer.Shown shown = read(planned, body);
        return new ReadAnswer.ShownBytes(JSON.writeValueAsBytes(shown.body()), shown.kept(), shown.dropped());
    }

    /** A GetItem, BatchGetItem or TransactGetItems answer through the views ({@link #isRead}), through a JSON tree. */
    static ReadAnswer.Shown read(Planned planned, byte[] body) throws IOException {
        ParsedRequest request = planned.parsed().request();
        Decided decided = planned.decided();
        Map<String, ReadAnswer.Shape> tables = new HashMap<>();
        List<ReadAnswer.Shape> entries = new ArrayList<>();
        for (Part part : request.parts()) {
            ReadView view = decided.of(part).view();
            var projection = planned.plan().of(part.index()).readWhole();
            if (request.operation() == Operation.BatchGetItem) {
                tables.put(part.table(), new ReadAnswer.Shape(view, projection, keys(part)));
            } else {
                entries.add(new ReadAnswer.Shape(view, projection));
            }
        }
        return ReadAnswer.show(request.operation(), JSON.readTree(body), tables, entries, false);
    }

    /**
     * Any other 200 answer through the views: a table description without its figures, any
     * answer without capacity and collection metrics. The same array when nothing is withheld.
     */
    static byte[] other(Planned planned, byte[] body) throws IOException {
        ParsedRequest request = planned.parsed().request();
        Decided decided = planned.decided();
        if (unrestricted(decided)) return body;
        if (DESCRIPTIONS.contains(request.operation()) && !request.isMultiPart()) {
            ReadView view = decided.of(request.single()).view();
            if (JSON.readTree(body) instanceof ObjectNode answer) {
                Metadata.withholdFromResponse(answer, List.of(view));
                return JSON.writeValueAsBytes(Metadata.tableResponse(request.operation(), answer, view));
            }
            throw new IOException("a table description that is not an object");
        }
        if (!mentionsMetadata(body)) return body;
        if (!(JSON.readTree(body) instanceof ObjectNode answer)) throw new IOException("an answer that is not an object");
        return Metadata.withholdFromResponse(answer, views(decided)) ? JSON.writeValueAsBytes(answer) : body;
    }

    private static List<ReadView> views(Decided decided) {
        List<ReadView> views = new ArrayList<>(decided.decisions().size());
        for (TableDecision d : decided.decisions()) views.add(d.view());
        return views;
    }

    /** A BatchGetItem table's Keys, in the client's order. */
    private static List<Map<String, AttributeValue>> keys(Part part) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (ObjectNode key : part.keys()) out.add(AttributeValueJson.item(key, "Keys"));
        return out;
    }

    /** Whether the answer may name a metadata member (also spelled with escapes: then it is read whole). */
    private static boolean mentionsMetadata(byte[] body) {
        for (String member : Metadata.RESPONSE_MEMBERS) if (dev.weir.protocol.wire.JsonBodies.mayName(body, member)) return true;
        return false;
    }
}
