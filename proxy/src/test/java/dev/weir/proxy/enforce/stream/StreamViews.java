package dev.weir.proxy.enforce.stream;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read views for GetRecords, decided by the real policy engine. */
final class StreamViews {
    /**
     * reader: eu rows, not classified; name masked (show_last 2), secret removed. fieldsOnly:
     * every row, only pk, sk, n, region. rowsOnly: eu rows, every field. hiddenKey: sk masked.
     * admin: everything. {@code read} covers GetRecords.
     */
    static final String POLICY = """
            role reader
            role fieldsonly
            role rowsonly
            role hiddenkey
            role admin

            @id("read")
            allow reader on table * op read
              rows where item.region == principal.region
              fields [pk, sk, n, name, region, classified]
              mask name show_last(2)

            @id("no-classified")
            deny reader on table * op read
              rows where item.classified == true

            allow fieldsonly on table * op [GetRecords] fields [pk, sk, n, region]

            allow rowsonly on table * op [GetRecords] rows where item.region == principal.region

            allow hiddenkey on table * op read fields [pk, sk, n]
              mask sk show_last(1)

            allow admin on table * op *
            """;

    static final DecisionTable TABLE = PolicyLoader.load(List.of(new PolicySource("s.weir", POLICY))).table().orElseThrow();

    private StreamViews() {}

    static ReadView view(String role) {
        DecisionRequest r = new DecisionRequest("p-" + role, Set.of(role), Map.of("region", List.of("eu")), "t",
                Operation.GetRecords, Context.NONE);
        return ReadView.of(TABLE.decide(r), r);
    }
}
