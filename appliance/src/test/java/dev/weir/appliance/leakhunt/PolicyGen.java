package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random principals and a random policy drawn from the language: per role and table at most
 * one read allow (some of GetItem, Query, Scan, BatchGetItem, TransactGetItems, and of the four
 * Streams operations, or the group {@code read}) with
 * {@code fields}, masks of every kind, removals, nulls, nested paths and {@code rows where}
 * over item and principal attributes; denies with {@code rows where} (on reads, {@code read}, writes or both); write allows with
 * an allow-list, {@code require} and {@code rows where}; DescribeTable allows; and allow-alls
 * only for principals that do not act.
 */
final class PolicyGen {
    static final int PRINCIPALS = 4;
    static final String SHARED_ROLE = "staff";

    private final Random r;

    PolicyGen(Random r) {
        this.r = r;
    }

    List<Principal> principals() {
        List<Principal> out = new ArrayList<>();
        for (int i = 0; i < PRINCIPALS; i++) {
            List<String> roles = new ArrayList<>(List.of("r" + i));
            if (r.nextInt(4) == 0) roles.add(SHARED_ROLE);
            Map<String, List<String>> attrs = new LinkedHashMap<>();
            if (r.nextInt(5) > 0) attrs.put("region", List.of(Attrs.pick(r, Attrs.REGIONS)));
            if (r.nextInt(5) > 1) {
                List<String> regions = new ArrayList<>();
                for (String g : Attrs.REGIONS) if (r.nextBoolean()) regions.add(g);
                if (regions.isEmpty()) regions.add(Attrs.pick(r, Attrs.REGIONS));
                attrs.put("regions", regions);
            }
            out.add(new Principal("p" + i, String.format("AKIAHUNTP%011d", i), "hunt-secret-" + i, roles, attrs));
        }
        return out;
    }

    PolicyModel policy(List<TableSpec> tables, List<Principal> principals, Set<Integer> actors) {
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < PRINCIPALS; i++) roles.add("r" + i);
        roles.add(SHARED_ROLE);
        List<Rule> rules = new ArrayList<>();
        int[] ids = {0};
        for (int i = 0; i < PRINCIPALS; i++) {
            if (!actors.contains(i) && r.nextInt(3) == 0) {
                rules.add(new Rule("all-" + i, true, "r" + i, "*", List.of("*"), null, Map.of(), null, null));
                continue;
            }
            roleRules("r" + i, tables, rules, ids);
        }
        if (principals.stream().anyMatch(p -> p.roles().contains(SHARED_ROLE)) && r.nextBoolean()) {
            roleRules(SHARED_ROLE, tables, rules, ids);
        }
        for (TableSpec t : tables) {
            int denies = r.nextInt(10) < 3 ? 1 : 0;
            if (r.nextInt(10) == 0) denies++;
            for (int d = 0; d < denies; d++) {
                Cond c = switch (r.nextInt(4)) {
                    case 0, 1 -> new Cond.Eq("classified", new Cond.Lit(new AttributeValue.Bool(true)), false);
                    case 2 -> new Cond.Cmp("level", ">=", 7);
                    default -> new Cond.Eq("region", new Cond.Lit(Attrs.s(Attrs.pick(r, Attrs.REGIONS))), false);
                };
                String role = r.nextInt(3) == 0 ? "r" + r.nextInt(PRINCIPALS) : null;
                // mostly read denies (they hide rows); some name writes, which narrows the write scope
                List<String> ops = switch (r.nextInt(5)) {
                    case 0 -> PolicyModel.WRITE_OPS;
                    case 1 -> {
                        List<String> both = new ArrayList<>(PolicyModel.READ_OPS);
                        both.addAll(PolicyModel.WRITE_OPS);
                        yield both;
                    }
                    // the group read covers the Streams operations too (a stream's records hide the same rows)
                    case 2 -> List.of("read");
                    default -> PolicyModel.READ_OPS;
                };
                rules.add(new Rule("deny-" + (ids[0]++), false, role, t.name(), ops, null, Map.of(), c, null));
            }
        }
        // Rules fire through the ops that allow-alls spell as "*"; the model matches "*" like any op.
        List<Rule> expanded = new ArrayList<>();
        for (Rule x : rules) {
            if (x.ops().equals(List.of("*"))) {
                expanded.add(new Rule(x.id(), x.allow(), x.role(), x.table(), ALL_OPS, x.fields(), x.actions(), x.rows(), x.require()));
            } else {
                expanded.add(x);
            }
        }
        return new PolicyModel(roles, expanded);
    }

    /** Every operation a sequence sends: an allow-all names them all. */
    static final List<String> ALL_OPS = List.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems", "PutItem",
            "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "DescribeTable", "ListStreams", "DescribeStream",
            "GetShardIterator", "GetRecords");

    private void roleRules(String role, List<TableSpec> tables, List<Rule> rules, int[] ids) {
        boolean star = r.nextInt(6) == 0;
        if (star) rules.add(readAllow(role, "*", "read-" + (ids[0]++)));
        for (TableSpec t : tables) {
            if (!star && r.nextInt(20) < 17) rules.add(readAllow(role, t.name(), "read-" + (ids[0]++)));
            if (r.nextInt(20) < 11) rules.add(writeAllow(role, t, "write-" + (ids[0]++)));
            if (r.nextInt(5) == 0) {
                rules.add(new Rule("describe-" + (ids[0]++), true, role, t.name(), List.of("DescribeTable"), null, Map.of(), null, null));
            }
        }
    }

    private Rule readAllow(String role, String table, String id) {
        List<String> ops = new ArrayList<>();
        for (String op : PolicyModel.READ_OPS) if (r.nextInt(10) < (op.equals("GetItem") ? 9 : 6)) ops.add(op);
        if (ops.isEmpty()) ops.add(Attrs.pick(r, PolicyModel.READ_OPS));
        int streams = r.nextInt(10);
        if (streams < 2) {
            ops = new ArrayList<>(List.of("read"));
        } else if (streams < 6) {
            for (String op : PolicyModel.STREAM_OPS) if (r.nextInt(10) < 8) ops.add(op);
        }
        List<String> fields = null;
        if (r.nextInt(20) < 9) {
            fields = new ArrayList<>();
            if (r.nextInt(10) < 9) fields.add(Attrs.HASH);
            if (r.nextInt(10) < 9) fields.add(Attrs.RANGE);
            for (String a : Attrs.ALL.keySet()) {
                if (a.equals("address")) {
                    switch (r.nextInt(5)) {
                        case 0 -> fields.add("address");
                        case 1 -> fields.add("address.*");
                        case 2 -> fields.add("address.city");
                        case 3 -> { fields.add("address.city"); fields.add("address.zip"); }
                        default -> { }
                    }
                } else if (r.nextInt(20) < 11) {
                    fields.add(a);
                }
            }
            if (fields.isEmpty()) fields.add(Attrs.HASH);
        }
        Map<String, Action> actions = new LinkedHashMap<>();
        List<String> candidates = new ArrayList<>(List.of(Attrs.HASH, Attrs.RANGE));
        candidates.addAll(Attrs.ALL.keySet());
        for (String a : candidates) {
            boolean key = a.equals(Attrs.HASH) || a.equals(Attrs.RANGE);
            if (r.nextInt(100) >= (key ? 6 : 32)) continue;
            boolean whole = fields == null || fields.contains(a) || fields.contains(a + ".*");
            if (a.equals("address") && whole && r.nextBoolean()) {
                actions.put("address." + (r.nextBoolean() ? "street" : "city"), action());
            } else if (a.equals("tags") && whole && r.nextBoolean()) {
                actions.put("tags[*]", maskAction());
            } else if (fields == null || fields.contains(a)) {
                actions.put(a, action());
            } else if (a.equals("address") && fields.contains("address.city")) {
                actions.put("address.city", action());
            }
        }
        Cond rows = r.nextBoolean() ? rowCond(2) : null;
        return new Rule(id, true, role, table, ops, fields, actions, rows, null);
    }

    private Rule writeAllow(String role, TableSpec t, String id) {
        List<String> ops = new ArrayList<>();
        for (String op : PolicyModel.WRITE_OPS) if (r.nextInt(10) < 6) ops.add(op);
        if (ops.isEmpty()) ops.add(Attrs.pick(r, PolicyModel.WRITE_OPS));
        List<String> fields = null;
        if (r.nextInt(10) < 4) {
            fields = new ArrayList<>(t.keyAttributes());
            for (String a : Attrs.ALL.keySet()) if (r.nextInt(10) < 6) fields.add(a);
        }
        Cond require = r.nextInt(20) < 7 ? rowCond(1) : null;
        Cond rows = r.nextInt(10) < 3 ? rowCond(1) : null;
        return new Rule(id, true, role, t.name(), ops, fields, Map.of(), rows, require);
    }

    private Action action() {
        return switch (r.nextInt(10)) {
            case 0, 1 -> Action.REMOVE;
            case 2 -> Action.NULL;
            default -> maskAction();
        };
    }

    private Action maskAction() {
        int n = 1 + r.nextInt(4);
        return switch (r.nextInt(12)) {
            case 0 -> Action.mask("show_first(" + n + ")", new Reveal.Text(true, n));
            case 1, 2 -> Action.mask("show_last(" + n + ")", new Reveal.Text(false, n));
            case 3 -> Action.mask("hash", Reveal.CLEAR);
            case 4 -> Action.mask("hmac(key: \"k1\")", Reveal.CLEAR);
            case 5 -> r.nextBoolean() ? Action.mask("pattern(\"[0-9]\", \"#\")", Reveal.CLEAR)
                    : Action.mask("pattern(\"[a-z]\", \"x\")", Reveal.CLEAR);
            case 6 -> {
                long step = r.nextBoolean() ? 10 : 1000;
                yield Action.mask("round(" + step + ")", new Reveal.Rounded(BigDecimal.valueOf(step), false));
            }
            case 7, 8 -> {
                long width = r.nextBoolean() ? 10 : 10000;
                yield Action.mask("bucket(" + width + ")", new Reveal.Rounded(BigDecimal.valueOf(width), true));
            }
            case 9 -> Action.mask("constant(\"x\")", Reveal.PRESENCE);
            case 10 -> Action.mask("constant(0)", Reveal.PRESENCE);
            default -> Action.mask("show_last(" + n + ")", new Reveal.Text(false, n));
        };
    }

    Cond rowCond(int depth) {
        if (depth > 0 && r.nextInt(4) == 0) {
            Cond a = rowCond(depth - 1), b = rowCond(depth - 1);
            return switch (r.nextInt(3)) {
                case 0 -> new Cond.And(a, b);
                case 1 -> new Cond.Or(a, b);
                default -> new Cond.Not(a);
            };
        }
        return switch (r.nextInt(11)) {
            case 0, 1 -> new Cond.Eq("region", new Cond.PrincipalAttr("region"), false);
            case 2 -> new Cond.InPrincipal("region", "regions");
            case 3 -> new Cond.Eq("region", new Cond.Lit(Attrs.s(Attrs.pick(r, Attrs.REGIONS))), r.nextInt(4) == 0);
            case 4 -> new Cond.InList("region", List.of(new Cond.Lit(Attrs.s(Attrs.pick(r, Attrs.REGIONS))),
                    new Cond.Lit(Attrs.s(Attrs.pick(r, Attrs.REGIONS)))));
            case 5 -> new Cond.Eq("owner", new Cond.PrincipalAttr("name"), false);
            case 6 -> new Cond.Cmp("level", Attrs.pick(r, List.of("<", "<=", ">", ">=")), r.nextInt(10));
            case 7 -> {
                int a = r.nextInt(10), b = r.nextInt(10);
                yield new Cond.Between("level", Math.min(a, b), Math.max(a, b));
            }
            case 8 -> new Cond.Exists(Attrs.pick(r, Attrs.ROW));
            case 9 -> new Cond.Eq("classified", new Cond.Lit(new AttributeValue.Bool(true)), true);
            default -> new Cond.Eq("classified", new Cond.Lit(new AttributeValue.Bool(false)), false);
        };
    }
}
