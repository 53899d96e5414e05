package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.proxy.enforce.ProxyResponse;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
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

    Hunt() throws java.io.IOException {
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
        Integrity integrity = new Integrity(s, one);
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
            JsonNode a1 = Answer.parse(answers[0]), a2 = Answer.parse(answers[1]);
            Exchange ex = new Exchange(i, req, body1.toString(), answers[0].status(), a1, answers[1].status(), a2);
            exchanges.add(ex);
            byIndex.put(i, ex);
            if (answers[0].status() != answers[1].status() || !Objects.equals(a1, a2)) {
                String where = answers[0].status() != answers[1].status() ? "status" : Answer.firstDifference(a1, a2, "");
                return new Outcome(new Failure("difference", i, req.op(), "the worlds answered differently at " + where, where),
                        exchanges);
            }
            if (WRITES.contains(req.op()) && answers[0].status() == 200) {
                long t3 = System.nanoTime();
                String broken = integrity.afterWrite(req, body1, actor);
                spent[3] += System.nanoTime() - t3;
                if (broken != null) {
                    String where = broken.contains("no write rule") ? "not permitted" : broken.contains("was moved") ? "moved out"
                            : "changed outside";
                    return new Outcome(new Failure("integrity", i, req.op(), broken, where), exchanges);
                }
            }
        }
        // Writes that failed were not checked one by one: nothing may differ from what the checked ones left.
        long t4 = System.nanoTime();
        String changed = integrity.atEnd();
        spent[3] += System.nanoTime() - t4;
        if (changed != null) {
            return new Outcome(new Failure("integrity", indexes.isEmpty() ? -1 : indexes.getLast(), "(end of sequence)",
                    changed, ""), exchanges);
        }
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
