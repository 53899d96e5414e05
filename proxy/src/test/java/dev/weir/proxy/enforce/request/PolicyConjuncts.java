package dev.weir.proxy.enforce.request;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.LoadResult;
import dev.weir.policy.predicate.Residual;
import dev.weir.policy.predicate.Unexpressible;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small set of policies compiled with policy-dsl, of varied shapes (comparisons with
 * principal attributes, lists, nested and quoted paths, reserved words, OR-ed allows minus
 * denies, BETWEEN, begins_with, membership, the same path on both sides, a requirement only
 * for writes, a list too long for DynamoDB's 4 KB limit), bound to one principal, {@code ada}.
 * Writes take the write filter ({@link Allowed#requirements()}), reads the row filter
 * ({@link Allowed#rows()}), each as its {@link Residual} for the request.
 */
final class PolicyConjuncts {
    private static final String ROLE = "role a\n";
    private static final String ALLOW = "@id(\"r\") allow a on table t op * ";
    static final List<String> TEXTS = List.of(
            ALLOW + "rows where item.region == principal.region",
            ALLOW + "rows where item.region in principal.regions and item.owner == principal.name",
            ALLOW + "rows where item.region == principal.region\n"
                    + "@id(\"r2\") allow a on table t op * rows where item.owner == principal.name\n"
                    + "@id(\"d\") deny a on table t op * rows where item.classified == true",
            ALLOW + "rows where item.age between 18 and 65 and begins_with(item.sku, \"EU-\") and exists(item.id)",
            ALLOW + "rows where \"x\" in item.tags or contains(item.name, principal.region) or not exists(item.status)",
            ALLOW + "rows where item.address.city == principal.city or item.list[1] != 3 or item.\"display name\" == \"x\"",
            ALLOW + "rows where item.level >= 2 require item.region in principal.regions",
            ALLOW + "rows where item.region in principal.many",
            ALLOW + "rows where item.region in principal.some or item.owner in [\"ada\", \"bob\", 3, true]",
            ALLOW + "rows where item.region == principal.odd or item.status == \"open\" and item.year > 2000",
            ALLOW + "\n@id(\"d\") deny a on table t op * rows where item.classified == true or item.level == \"secret\"",
            ALLOW + "rows where not (item.a == item.a) or item.b <= item.b or begins_with(item.c, item.d)",
            ALLOW + "rows where principal.region in item.allowed or item.name in item.aliases",
            ALLOW + "rows where item.score < 10 or item.score > 20 and not (item.flag == false) and item.data != null",
            ALLOW,
            ALLOW + "rows where item.x == 1 and principal.region == \"us\"");
    private static final List<DecisionTable> TABLES = compileAll();

    /**
     * One policy's conjunct for one request.
     *
     * @param residual the filter as a store tree for the request, or null when it has no exact form
     */
    record PolicyConjunct(String text, RowFilter filter, DecisionRequest request, Residual residual) {}

    private PolicyConjuncts() {}

    static boolean isWrite(Operation op) {
        return op == Operation.PutItem || op == Operation.UpdateItem || op == Operation.DeleteItem;
    }

    static DecisionRequest request(Operation op) {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 700; i++) many.add("r" + i);
        return new DecisionRequest("ada", Set.of("a"), Map.of("region", List.of("eu"), "regions", List.of("eu", "us"),
                "city", List.of("Berlin"), "odd", List.of("a\") OR (#x = :y"), "many", many, "some", many.subList(0, 150)),
                "t", op, Context.NONE);
    }

    /** Policy {@code index} (taken modulo their number) for {@code op}. */
    static PolicyConjunct of(int index, Operation op) {
        int i = Math.floorMod(index, TEXTS.size());
        DecisionRequest request = request(op);
        Decision decision = TABLES.get(i).decide(request);
        if (!(decision instanceof Allowed allowed)) throw new IllegalStateException("policy " + i + " does not allow: " + decision);
        RowFilter filter = isWrite(op) ? allowed.requirements() : allowed.rows();
        Residual residual;
        try {
            residual = Residual.of(filter, request);
        } catch (Unexpressible e) {
            residual = null;
        }
        return new PolicyConjunct(TEXTS.get(i), filter, request, residual);
    }

    private static List<DecisionTable> compileAll() {
        List<DecisionTable> out = new ArrayList<>();
        for (String text : TEXTS) {
            LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", ROLE + text + "\n")));
            if (!r.ok()) throw new IllegalStateException("policy does not load: " + text + "\n" + r.diagnostics());
            out.add(r.table().orElseThrow());
        }
        return List.copyOf(out);
    }
}
