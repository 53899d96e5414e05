package dev.weir.proxy.enforce.read;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.model.Operation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read views of the test policy, decided by the real policy engine. */
final class Views {
    /**
     * A reader sees its own region's rows minus the classified ones, some fields (a name masked,
     * a secret removed, an attribute whose name holds a dot); an admin sees everything.
     */
    static final String POLICY = """
            role reader
            role admin
            role writer

            @id("read")
            allow reader on table * op [GetItem, Query, Scan]
              rows where item.region == principal.region
              fields [pk, sk, n, tag, name, region, "a.b", meta.public, txt]
              mask name show_last(2)

            @id("no-classified")
            deny reader on table * op [GetItem, Query, Scan]
              rows where item.classified == true

            @id("fields-only")
            allow reader on table plain op [GetItem, Query, Scan]
              fields [pk, sk, n]

            @id("all")
            allow admin on table * op *

            @id("write")
            allow writer on table * op [PutItem]
            """;

    static final DecisionTable TABLE = PolicyLoader.load(List.of(new PolicySource("test.weir", POLICY))).table().orElseThrow();

    private Views() {}

    static DecisionRequest request(String role, String table, Operation op) {
        return new DecisionRequest("p-" + role, Set.of(role), Map.of("region", List.of("eu")), table, op, Context.NONE);
    }

    /** The view a one-rule policy text gives a principal of role {@code r} in region eu, for a Query on table {@code t}. */
    static ReadView of(String policy) {
        DecisionRequest r = new DecisionRequest("p", Set.of("r"), Map.of("region", List.of("eu")), "t", Operation.Query, Context.NONE);
        return ReadView.of(PolicyLoader.load(List.of(new PolicySource("p.weir", policy))).table().orElseThrow().decide(r), r);
    }

    /** Fields pk, sk and n, every row. */
    static ReadView fieldsOnly() {
        return of("""
                role r
                allow r on table t op [Query, Scan, GetItem] fields [pk, sk, n]
                """);
    }

    /** The view of a Query on {@code table} by a principal of {@code role} in region eu. */
    static ReadView view(String role, String table) {
        DecisionRequest r = request(role, table, Operation.Query);
        return ReadView.of(TABLE.decide(r), r);
    }
}
