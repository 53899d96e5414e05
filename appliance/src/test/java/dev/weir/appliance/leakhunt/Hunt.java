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
        Run run = new Run(s);
        for (int i : indexes) {
            Req req = s.requests().get(i);
            Principal actor = s.principals().get(req.actor());
            if (req.op().equals(StreamRead.OP)) {
                long t2 = System.nanoTime();
                Failure f = new StreamRead(this, run, i, req, actor).read();
                spent[2] += System.nanoTime() - t2;
                if (f != null) return new Outcome(f, run.exchanges);
                continue;
            }
            ObjectNode body1 = req.body().deepCopy(), body2 = req.body().deepCopy();
            if (req.continues() >= 0) {
                Step from = run.byIndex.get(req.continues());
                startFrom(body1, from == null ? null : from.raw1());
                startFrom(body2, from == null ? null : from.raw2());
            }
            long t2 = System.nanoTime();
            Step step = step(run, i, req, actor, body1, body2, "", "");
            spent[2] += System.nanoTime() - t2;
            run.byIndex.put(i, step);
            if (step.failure() != null) return new Outcome(step.failure(), run.exchanges);
            if (WRITES.contains(req.op()) && step.status() == 200) {
                long t3 = System.nanoTime();
                String broken = integrity.afterWrite(req, body1, actor);
                spent[3] += System.nanoTime() - t3;
                if (broken != null) {
                    String where = broken.contains("no write rule") ? "not permitted" : broken.contains("was moved") ? "moved out"
                            : "changed outside";
                    return new Outcome(new Failure("integrity", i, req.op(), broken, where), run.exchanges);
                }
            }
        }
        // Writes that failed were not checked one by one: nothing may differ from what the checked ones left.
        long t4 = System.nanoTime();
        String changed = integrity.atEnd();
        spent[3] += System.nanoTime() - t4;
        if (changed != null) {
            return new Outcome(new Failure("integrity", indexes.isEmpty() ? -1 : indexes.getLast(), "(end of sequence)",
                    changed, ""), run.exchanges);
        }
        return new Outcome(null, run.exchanges);
    }

    /** One run's record: its exchanges, the answers by request index, and each world's {@link Ordinals}. */
    static final class Run {
        final Scenario scenario;
        final List<Exchange> exchanges = new ArrayList<>();
        final Map<Integer, Step> byIndex = new java.util.HashMap<>();
        final Ordinals names1 = new Ordinals(), names2 = new Ordinals();

        Run(Scenario scenario) {
            this.scenario = scenario;
        }
    }

    /**
     * One request sent in both worlds: the raw answers (for what later steps take from them), the
     * status, and the failure when the normalised answers differ.
     */
    record Step(JsonNode raw1, JsonNode raw2, int status, Failure failure) {}

    /**
     * Sends one request (each world its own body) and compares the answers after
     * {@link Answer#normalised normalisation}; records the exchange under {@code index}.
     *
     * @param shard1 the raw id of the shard a GetRecords reads in world one, or empty (and {@code shard2} in world two)
     */
    Step step(Run run, int index, Req req, Principal actor, ObjectNode body1, ObjectNode body2, String shard1, String shard2) {
        ProxyResponse[] answers = send(actor, req.op(), body1, body2);
        JsonNode raw1 = Answer.parse(answers[0]), raw2 = Answer.parse(answers[1]);
        JsonNode a1 = Answer.normalised(raw1, run.names1, shard1), a2 = Answer.normalised(raw2, run.names2, shard2);
        run.exchanges.add(new Exchange(index, req, body1.toString(), answers[0].status(), a1, answers[1].status(), a2));
        Failure failure = null;
        if (answers[0].status() != answers[1].status() || !Objects.equals(a1, a2)) {
            String where = answers[0].status() != answers[1].status() ? "status" : Answer.firstDifference(a1, a2, "");
            failure = new Failure("difference", index, req.op(), "the worlds answered differently at " + where, where);
        }
        return new Step(raw1, raw2, answers[0].status(), failure);
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
