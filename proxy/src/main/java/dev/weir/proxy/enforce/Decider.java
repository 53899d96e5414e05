package dev.weir.proxy.enforce;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.identity.Principal;
import dev.weir.proxy.identity.TlsPeer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decide step: one lookup in the decision table per table the request names (a batch or
 * transaction is decided per table, under the container's operation name), in the request's
 * context (source, time, TLS identity, the table's tags). A table the policy forbids or does
 * not permit refuses the whole request; the rules met so far are named in the refusal.
 */
final class Decider {
    private Decider() {}

    /**
     * @param tags the tags of each table, when the policy reads them (else empty)
     * @throws Refusal FORBIDDEN or NOT_PERMITTED
     */
    static Decided decide(Parsed parsed, Map<String, Map<String, String>> tags) {
        ParsedRequest request = parsed.request();
        Principal principal = parsed.identified().principal();
        Received received = parsed.received();
        Refusals refuse = Refusals.of(principal.name(), request.operation(), request.table());
        if (!parsed.policy().loaded()) throw refuse.notPermitted("no policy is loaded");
        Context context = new Context(received.source().getAddress(), received.at(), tls(received.tlsPeer()), Map.of());
        Map<String, TableDecision> tables = new LinkedHashMap<>();
        List<String> ruleIds = new ArrayList<>();
        List<String> names = request.isMultiPart() ? request.parts().stream().map(Part::table).distinct().toList()
                : List.of(request.policyTable());
        for (String table : names) {
            DecisionRequest dr = new DecisionRequest(principal.name(), principal.roleSet(), principal.attributes(),
                    table, request.operation(), context.withTableTags(tags.getOrDefault(table, Map.of())));
            Decision decision = parsed.policy().table().decide(dr);
            for (String id : decision.ruleIds()) if (!ruleIds.contains(id)) ruleIds.add(id);
            String where = request.isMultiPart() ? " (table " + table + ")" : "";
            switch (decision) {
                case Forbidden f -> throw refuse.forbidden("rule " + String.join(", ", f.ruleIds()) + " forbids it: "
                        + f.reason() + where).withRules(ruleIds);
                case NotPermitted n -> throw refuse.notPermitted("no weir policy allows it" + where).withRules(ruleIds);
                case Allowed a -> tables.put(table, new TableDecision(a, dr, view(parsed, a, dr)));
            }
        }
        return new Decided(parsed, tables, ruleIds);
    }

    /**
     * The decision of the request's operation on one more table, in the request's context (a
     * ListStreams decides each listed stream's table so).
     */
    static Decision decideOn(Parsed parsed, String table, Map<String, String> tags) {
        Principal principal = parsed.identified().principal();
        Received received = parsed.received();
        Context context = new Context(received.source().getAddress(), received.at(), tls(received.tlsPeer()), Map.of());
        DecisionRequest dr = new DecisionRequest(principal.name(), principal.roleSet(), principal.attributes(),
                table, parsed.request().operation(), context.withTableTags(tags));
        return parsed.policy().table().decide(dr);
    }

    /**
     * The caller's read view of the table: the decision itself for a read; for any other
     * operation, the decision a GetItem on the table would get in the same context (no GetItem
     * allow: the empty view). A write rule never widens what the caller sees.
     */
    private static ReadView view(Parsed parsed, Allowed decision, DecisionRequest dr) {
        if (dr.operation().group() == Operation.Group.READ) return ReadView.of(decision, dr);
        DecisionRequest asRead = new DecisionRequest(dr.principal(), dr.roles(), dr.attributes(), dr.table(),
                Operation.GetItem, dr.context());
        return ReadView.of(parsed.policy().table().decide(asRead), asRead);
    }

    private static TlsIdentity tls(TlsPeer peer) {
        return peer == null ? TlsIdentity.NONE : TlsIdentity.of(peer.subject(), peer.subjectAltNames());
    }
}
