package dev.weir.appliance.leakhunt;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one sequence of the hunt is made of, drawn from one seed: the tables, the
 * principals and which of them act, the policy (model and compiled), the two stores D1 and D2,
 * and the requests. The same seed always gives the same sequence (table names aside, which
 * the caller chooses so that each run gets fresh tables).
 */
record Scenario(long seed, List<TableSpec> tables, List<Principal> principals, List<Integer> actors, PolicyModel policy,
                String policyText, DecisionTable compiled, Map<String, List<Map<String, AttributeValue>>> d1,
                Map<String, List<Map<String, AttributeValue>>> d2, List<Req> requests) {

    /**
     * @param identical whether D2 is D1 itself (a check of the harness: then any difference is
     *                  nondeterminism of the harness or the store, never a leak)
     */
    static Scenario generate(long seed, String tablePrefix, int minRequests, int maxRequests, boolean identical) {
        Random r = new Random(seed);
        List<TableSpec> tables = new ArrayList<>();
        int count = r.nextInt(10) < 7 ? 1 : 2;
        // multi-attribute index keys are drawn from their own stream, so the seeds of tables without them stay as they were
        Random multi = new Random(seed ^ 0x19_19_19_19L);
        for (int i = 0; i < count; i++) tables.add(table(r, multi, tablePrefix + (char) ('a' + i)));
        PolicyGen pg = new PolicyGen(r);
        List<Principal> principals = pg.principals();
        List<String> names = principals.stream().map(Principal::name).toList();
        Set<Integer> actorSet = new TreeSet<>();
        int n = r.nextInt(10) < 5 ? 1 : r.nextInt(10) < 6 ? 2 : 3;
        while (actorSet.size() < n) actorSet.add(r.nextInt(PolicyGen.PRINCIPALS));
        List<Integer> actors = List.copyOf(actorSet);
        PolicyModel policy = pg.policy(tables, principals, actorSet);
        String text = policy.render();
        LoadResult loaded = PolicyLoader.load(List.of(new PolicySource("hunt.weir", text)));
        if (!loaded.ok()) {
            throw new IllegalStateException("generator bug: the generated policy does not load (seed " + seed + "):\n"
                    + loaded.errors() + "\n" + text);
        }
        DataGen data = new DataGen(r, names);
        Map<String, List<Map<String, AttributeValue>>> d1 = new LinkedHashMap<>(), d2 = new LinkedHashMap<>();
        Set<String> conditionAttrs = policy.conditionAttributes();
        for (TableSpec t : tables) {
            List<Map<String, AttributeValue>> items = data.items(t);
            List<DataGen.Viewer> viewers = new ArrayList<>();
            for (int a : actors) {
                Principal p = principals.get(a);
                for (String op : PolicyModel.VIEW_OPS) {
                    ReadView v = policy.readView(p, t.name(), op);
                    if (v.permitted()) viewers.add(new DataGen.Viewer(p, op, v));
                }
            }
            List<PolicyModel.WriteScope> scopes = new ArrayList<>();
            for (int a : actors) {
                for (String op : PolicyModel.WRITE_OPS) {
                    PolicyModel.WriteScope w = policy.writeScope(principals.get(a), t.name(), op);
                    if (w != null) scopes.add(w);
                }
            }
            Set<String> fixed = new LinkedHashSet<>(t.keyAttributes());
            d1.put(t.name(), items);
            List<Map<String, AttributeValue>> varied = data.vary(t, items, viewers, fixed, conditionAttrs, scopes);
            d2.put(t.name(), identical ? items : varied);
        }
        RequestGen rg = new RequestGen(r, tables, names, actors);
        List<Req> requests = rg.sequence(minRequests + r.nextInt(maxRequests - minRequests + 1));
        return new Scenario(seed, tables, principals, actors, policy, text, loaded.table().orElseThrow(), d1, d2, requests);
    }

    private static TableSpec table(Random r, Random multi, String name) {
        String rangeType = switch (r.nextInt(4)) {
            case 0, 1 -> null;
            case 2 -> "S";
            default -> "N";
        };
        List<TableSpec.Index> indexes = new ArrayList<>();
        int gsis = r.nextInt(3);
        List<String> keyable = new ArrayList<>(Attrs.INDEX_S);
        keyable.addAll(Attrs.INDEX_N);
        for (int i = 0; i < gsis; i++) {
            String hash = Attrs.pick(r, keyable);
            String range = r.nextInt(10) < 7 ? Attrs.pick(r, keyable) : null;
            if (hash.equals(range)) range = null;
            List<String> hashes = new ArrayList<>(List.of(hash));
            List<String> ranges = new ArrayList<>();
            if (range != null) ranges.add(range);
            if (multi.nextInt(3) == 0) {
                // a multi-attribute key: one or two more partition attributes, and with a sort key one or two more sort attributes
                for (int k = 1 + multi.nextInt(2); k > 0; k--) more(multi, keyable, hashes, ranges, hashes);
                if (range != null) for (int k = multi.nextInt(3); k > 0; k--) more(multi, keyable, hashes, ranges, ranges);
            }
            indexes.add(index(r, "gsi" + i, true, hashes, ranges));
        }
        if (rangeType != null && r.nextBoolean()) {
            indexes.add(index(r, "lsi0", false, List.of(Attrs.HASH), List.of(Attrs.pick(r, keyable))));
        }
        // Most streams carry both images (the only kind a restricted view may read); the others are
        // read by unrestricted views and refused to restricted ones, alike in both worlds.
        String stream = switch (r.nextInt(10)) {
            case 0 -> "KEYS_ONLY";
            case 1 -> "NEW_IMAGE";
            case 2 -> "OLD_IMAGE";
            default -> "NEW_AND_OLD_IMAGES";
        };
        return new TableSpec(name, rangeType, indexes, stream);
    }

    /** Adds to {@code to} a keyable attribute no key list holds yet, if one is left. */
    private static void more(Random multi, List<String> keyable, List<String> hashes, List<String> ranges, List<String> to) {
        List<String> left = new ArrayList<>(keyable);
        left.removeAll(hashes);
        left.removeAll(ranges);
        if (!left.isEmpty()) to.add(left.get(multi.nextInt(left.size())));
    }

    private static TableSpec.Index index(Random r, String name, boolean global, List<String> hashes, List<String> ranges) {
        String projection = switch (r.nextInt(3)) {
            case 0 -> "ALL";
            case 1 -> "KEYS_ONLY";
            default -> "INCLUDE";
        };
        List<String> include = new ArrayList<>();
        if (projection.equals("INCLUDE")) {
            List<String> candidates = new ArrayList<>(Attrs.ALL.keySet());
            candidates.removeAll(hashes);
            candidates.removeAll(ranges);
            int n = 1 + r.nextInt(3);
            while (include.size() < n) {
                String a = Attrs.pick(r, candidates);
                if (!include.contains(a)) include.add(a);
            }
        }
        return new TableSpec.Index(name, global, hashes, ranges, projection, include);
    }

    TableSpec table(String nameOrArn) {
        String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
        for (TableSpec t : tables) if (t.name().equals(name)) return t;
        return null;
    }
}
