package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.proxy.enforce.ProxyResponse;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sequence in the two worlds and checks the two invariants after every request:
 * <b>noninterference</b> (both worlds answer the same: status, and the body as parsed JSON,
 * item order included) and <b>integrity</b> (a write changes only items it names, and only
 * items inside the actor's write scope, before and after, per the model).
 */
final class Hunt implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

    private final EventLoopGroup group = Transport.NIO.newEventLoopGroup(2);
    final World one;
    final World two;
    /** Nanoseconds spent, for tuning: [tables, seeding, requests, integrity snapshots]. */
    final long[] spent = new long[4];

    Hunt() throws IOException {
        one = new World("d1", group);
        two = new World("d2", group);
    }

    /** What one request got in each world. */
    record Exchange(int index, Req req, String sentBody, int status1, JsonNode body1, int status2, JsonNode body2) {}

    /**
     * A broken invariant.
     *
     * @param kind  "difference" (the worlds answered differently) or "integrity"
     * @param index the request's index in the generated sequence
     */
    record Failure(String kind, int index, String op, String detail, String where) {
        /** What kind of failure this is: the invariant, the operation, and where the answers first differ. */
        String signature() {
            return kind + " " + op + (where.isEmpty() ? "" : " " + where);
        }
    }

    /**
     * The first place two answers differ, as a path with list positions and attribute names of
     * items generalised ({@code Items[].*.S}), so that failures of one kind share it.
     */
    static String firstDifference(JsonNode a, JsonNode b, String at) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) return at.isEmpty() ? "body" : at;
        if (a.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            boolean item = at.endsWith("Item") || at.endsWith("Items[]") || at.endsWith("Attributes") || at.endsWith("Key")
                    || at.endsWith("Responses.*[]");
            for (String n : names) {
                if (!Objects.equals(a.get(n), b.get(n))) {
                    String step = item || at.endsWith("Responses") ? "*" : n;
                    return firstDifference(a.get(n), b.get(n), at.isEmpty() ? step : at + "." + step);
                }
            }
            return at;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) return at + "[].size";
            for (int i = 0; i < a.size(); i++) {
                if (!Objects.equals(a.get(i), b.get(i))) return firstDifference(a.get(i), b.get(i), at + "[]");
            }
            return at;
        }
        return at;
    }

    record Outcome(Failure failure, List<Exchange> exchanges) {}

    /** Runs the requests at {@code indexes} (of the scenario's sequence) from freshly seeded stores. */
    Outcome run(Scenario s, List<Integer> indexes) {
        long t0 = System.nanoTime();
        World.join(one.createTables(s.tables()).runAfterBoth(two.createTables(s.tables()), () -> { }));
        for (World w : new World[] {one, two}) {
            w.identifier.publish(new PrincipalDirectory(s.principals().stream().map(Principal::toWeir).toList()));
            w.policy.publish(new PolicySnapshot(s.compiled(), "leakhunt-" + s.seed()));
        }
        long t1 = System.nanoTime();
        spent[0] += t1 - t0;
        List<CompletableFuture<Void>> seeding = new ArrayList<>();
        for (TableSpec t : s.tables()) {
            seeding.add(one.seed(t.name(), s.d1().get(t.name())));
            seeding.add(two.seed(t.name(), s.d2().get(t.name())));
        }
        World.join(CompletableFuture.allOf(seeding.toArray(CompletableFuture[]::new)));
        Map<String, Map<String, Map<String, AttributeValue>>> before = new java.util.HashMap<>();
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> state = new java.util.TreeMap<>();
            for (Map<String, AttributeValue> item : s.d1().get(t.name())) state.put(World.keyText(t.keyOf(item)), item);
            before.put(t.name(), state);
        }
        spent[1] += System.nanoTime() - t1;
        List<Exchange> exchanges = new ArrayList<>();
        Map<Integer, Exchange> byIndex = new java.util.HashMap<>();
        for (int i : indexes) {
            Req req = s.requests().get(i);
            ObjectNode body1 = req.body().deepCopy(), body2 = req.body().deepCopy();
            if (req.continues() >= 0) {
                Exchange from = byIndex.get(req.continues());
                startFrom(body1, from == null ? null : from.body1());
                startFrom(body2, from == null ? null : from.body2());
            }
            Principal actor = s.principals().get(req.actor());
            long t2 = System.nanoTime();
            ProxyResponse[] answers = send(actor, req.op(), body1, body2);
            spent[2] += System.nanoTime() - t2;
            JsonNode a1 = parse(answers[0]), a2 = parse(answers[1]);
            Exchange ex = new Exchange(i, req, body1.toString(), answers[0].status(), a1, answers[1].status(), a2);
            exchanges.add(ex);
            byIndex.put(i, ex);
            if (answers[0].status() != answers[1].status() || !Objects.equals(a1, a2)) {
                String where = answers[0].status() != answers[1].status() ? "status" : firstDifference(a1, a2, "");
                return new Outcome(new Failure("difference", i, req.op(), "the worlds answered differently at " + where, where),
                        exchanges);
            }
            if (WRITES.contains(req.op()) && answers[0].status() == 200) {
                long t3 = System.nanoTime();
                String broken = integrity(s, req, body1, actor, before);
                spent[3] += System.nanoTime() - t3;
                if (broken != null) return new Outcome(new Failure("integrity", i, req.op(), broken, ""), exchanges);
            }
        }
        // Writes that failed were not checked one by one: nothing may differ from what the checked ones left.
        long t4 = System.nanoTime();
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> was = before.get(t.name()), now = one.snapshot(t);
            Set<String> keys = new java.util.TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!same(was.get(k), now.get(k))) {
                    spent[3] += System.nanoTime() - t4;
                    return new Outcome(new Failure("integrity", indexes.isEmpty() ? -1 : indexes.getLast(), "(end of sequence)",
                            "item " + k + " of " + t.name() + " changed, but no write that succeeded names it: "
                                    + was.get(k) + " became " + now.get(k), ""), exchanges);
                }
            }
        }
        spent[3] += System.nanoTime() - t4;
        return new Outcome(null, exchanges);
    }

    /** Sets {@code ExclusiveStartKey} from an earlier answer's {@code LastEvaluatedKey}, if it had one. */
    private static void startFrom(ObjectNode body, JsonNode earlier) {
        JsonNode lek = earlier == null ? null : earlier.get("LastEvaluatedKey");
        if (lek != null) body.set("ExclusiveStartKey", lek.deepCopy());
    }

    private ProxyResponse[] send(Principal actor, String op, ObjectNode body1, ObjectNode body2) {
        try {
            HttpRequestView r1 = World.sign(actor, op, JSON.writeValueAsBytes(body1));
            HttpRequestView r2 = body1.equals(body2) ? r1 : World.sign(actor, op, JSON.writeValueAsBytes(body2));
            CompletableFuture<ProxyResponse> f1 = one.handle(r1), f2 = two.handle(r2);
            return new ProxyResponse[] {f1.get(60, TimeUnit.SECONDS), f2.get(60, TimeUnit.SECONDS)};
        } catch (Exception e) {
            throw new IllegalStateException("a request did not complete: " + op + " " + body1, e);
        }
    }

    /** The answer as parsed JSON, with what differs between any two stores (creation times, table ids) removed. */
    static JsonNode parse(ProxyResponse r) {
        try {
            JsonNode n = JSON.readTree(r.body());
            normalise(n);
            return n;
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("<not JSON> " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void normalise(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (f.endsWith("DateTime") || f.equals("TableId")) it.remove();
                else normalise(o.get(f));
            }
        } else if (n != null && n.isArray()) {
            for (JsonNode c : n) normalise(c);
        }
    }

    /**
     * Checks world one after a write that succeeded: each item it names that changed was, and
     * is, inside the actor's write scope. Updates {@code before}; what changed elsewhere shows in
     * the full comparison at the end of the run.
     */
    private String integrity(Scenario s, Req req, ObjectNode body, Principal actor,
                             Map<String, Map<String, Map<String, AttributeValue>>> before) {
        Map<String, Map<String, Map<String, AttributeValue>>> named = namedKeys(s, req.op(), body);
        for (TableSpec t : s.tables()) {
            Map<String, Map<String, AttributeValue>> keys = named.get(t.name());
            if (keys == null) continue;
            Map<String, Map<String, AttributeValue>> was = before.get(t.name());
            Map<String, Map<String, AttributeValue>> now = one.items(t, List.copyOf(keys.values()));
            for (String k : keys.keySet()) {
                Map<String, AttributeValue> a = was.get(k), b = now.get(k);
                if (same(a, b)) continue;
                PolicyModel.WriteScope scope = s.policy().writeScope(actor, t.name(), req.op());
                if (scope == null) {
                    return "item " + k + " of " + t.name() + " changed, but no write rule allows " + actor.name() + " " + req.op();
                } else if (a != null && !scope.admits(a)) {
                    return "item " + k + " of " + t.name() + " changed, but it was outside " + actor.name() + "'s write scope: " + a;
                } else if (b != null && !scope.admits(b)) {
                    return "item " + k + " of " + t.name() + " was moved outside " + actor.name() + "'s write scope: " + b;
                }
                if (b == null) was.remove(k);
                else was.put(k, b);
            }
        }
        return null;
    }

    /** Whether two stored items (or absences) are the same, by value. */
    private static boolean same(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a == null || b == null) return a == b;
        if (!a.keySet().equals(b.keySet())) return false;
        for (String k : a.keySet()) if (!Reveal.canonical(a.get(k)).equals(Reveal.canonical(b.get(k)))) return false;
        return true;
    }

    /** The keys a write request names, per table (Put, Update and Delete parts; not ConditionChecks). */
    private static Map<String, Map<String, Map<String, AttributeValue>>> namedKeys(Scenario s, String op, JsonNode body) {
        Map<String, Map<String, Map<String, AttributeValue>>> out = new java.util.HashMap<>();
        switch (op) {
            case "PutItem" -> name(s, out, body.path("TableName").asText(), body.get("Item"));
            case "UpdateItem", "DeleteItem" -> name(s, out, body.path("TableName").asText(), body.get("Key"));
            case "BatchWriteItem" -> body.path("RequestItems").fields().forEachRemaining(e -> {
                for (JsonNode w : e.getValue()) {
                    name(s, out, e.getKey(), w.path("PutRequest").get("Item"));
                    name(s, out, e.getKey(), w.path("DeleteRequest").get("Key"));
                }
            });
            case "TransactWriteItems" -> {
                for (JsonNode part : body.path("TransactItems")) {
                    for (String kind : List.of("Put", "Update", "Delete")) {
                        JsonNode p = part.get(kind);
                        if (p != null) name(s, out, p.path("TableName").asText(), p.has("Item") ? p.get("Item") : p.get("Key"));
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    private static void name(Scenario s, Map<String, Map<String, Map<String, AttributeValue>>> out, String tableRef,
                             JsonNode itemOrKey) {
        TableSpec t = s.table(tableRef);
        if (t == null || itemOrKey == null || !itemOrKey.isObject()) return;
        try {
            Map<String, AttributeValue> key = t.keyOf(AttributeValueJson.item(itemOrKey, "Key"));
            if (key != null) out.computeIfAbsent(t.name(), x -> new java.util.TreeMap<>()).put(World.keyText(key), key);
        } catch (RuntimeException e) {
            // a malformed key names nothing
        }
    }

    @Override
    public void close() {
        try {
            one.close();
        } finally {
            try {
                two.close();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
