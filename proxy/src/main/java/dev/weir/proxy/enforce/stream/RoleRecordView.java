package dev.weir.proxy.enforce.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.trigger.TriggerCompiler;
import dev.weir.proxy.enforce.read.ReadView;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A stream record as a <em>role</em> sees it through GetRecords: the view of a principal that
 * holds only that role, has no attributes, and asks now. Data-lifecycle triggers run as a role
 * and get each record cut here, by the same {@link StreamAccess} and {@link RecordCut} a caller
 * of GetRecords through weir gets (docs/triggers.md, "The role's view").
 */
public final class RoleRecordView {
    private RoleRecordView() {}

    /** What the role gets of one record. */
    public sealed interface Result {
        /** The record as the role sees it. */
        record Shown(ObjectNode record) implements Result {}

        /** The role sees no side of this change. */
        record Hidden() implements Result {}

        /** The role may not read the stream's records at all. */
        record Refused(String reason) implements Result {}
    }

    public static Result cut(DecisionTable policy, String role, String table, JsonNode record, String viewType,
                             List<String> keyAttributes, UpstreamNumbers numbers, Instant now) {
        DecisionRequest request = TriggerCompiler.viewRequest(role, table).withContext(Context.of(null, now));
        ReadView view = ReadView.of(policy.decide(request), request);
        if (view.isEmpty()) return new Result.Refused("no rule lets role '" + role + "' read table " + table + "'s stream");
        ViewType type = ViewType.named(viewType);
        if (type == null) return new Result.Refused("unknown stream view type " + viewType);
        Optional<String> refusal = StreamAccess.recordsRefusal(view, keyAttributes, type, numbers);
        if (refusal.isPresent()) return new Result.Refused(refusal.get());
        Optional<ObjectNode> shown = RecordCut.cut(record, view, type);
        return shown.<Result>map(Result.Shown::new).orElseGet(Result.Hidden::new);
    }
}
