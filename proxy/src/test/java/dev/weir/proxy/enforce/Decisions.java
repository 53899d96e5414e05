package dev.weir.proxy.enforce;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: a request parsed as the firewall parses it and each of its parts decided as the
 * decide step decides it (the operation's own decision, and the read view: the decision itself
 * for a read, a GetItem's otherwise), by the real policy engine.
 */
public final class Decisions {
    private Decisions() {}

    /** One part and everything the plan step knows about it. */
    public record Decided(Part part, Operation container, Allowed allowed, DecisionRequest request, ReadView view,
                          Set<Path> rowDeciding, Refusals refuse) {}

    public static DecisionTable compile(String policy) {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", policy)));
        if (!r.ok()) throw new IllegalArgumentException(r.diagnostics().toString());
        return r.table().orElseThrow();
    }

    public static ParsedRequest parse(String op, String json) {
        return Requests.parse(op, json);
    }

    /** Every part of the request by a principal with {@code role} and these attributes; the operation must be allowed. */
    public static List<Decided> decide(DecisionTable table, String role, Map<String, List<String>> attributes, String op,
                                       String json) {
        ParsedRequest req = parse(op, json);
        List<Decided> out = new ArrayList<>();
        for (Part part : req.parts()) {
            DecisionRequest dr = new DecisionRequest("p-" + role, Set.of(role), attributes, part.policyTable(), req.operation(),
                    Context.NONE);
            Decision d = table.decide(dr);
            if (!(d instanceof Allowed a)) throw new IllegalArgumentException(role + " may not " + op + ": " + d);
            ReadView view;
            if (req.operation().group() == Operation.Group.READ) {
                view = ReadView.of(a, dr);
            } else {
                DecisionRequest asRead = new DecisionRequest(dr.principal(), dr.roles(), dr.attributes(), dr.table(),
                        Operation.GetItem, dr.context());
                view = ReadView.of(table.decide(asRead), asRead);
            }
            out.add(new Decided(part, req.operation(), a, dr, view, table.facts().rowDecidingPaths(part.policyTable()),
                    Refusals.of(dr.principal(), part.acts(), part.policyTable())));
        }
        return out;
    }
}
