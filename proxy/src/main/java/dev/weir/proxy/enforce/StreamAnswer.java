package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.read.StoreRead;
import dev.weir.proxy.enforce.stream.IteratorSeal;
import dev.weir.proxy.enforce.stream.RecordPager;
import dev.weir.proxy.enforce.stream.SealedIterator;
import dev.weir.proxy.enforce.stream.StreamAccess;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.proxy.enforce.stream.ViewType;
import dev.weir.proxy.enforce.verdict.Refusals;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.policy.TableTags;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A DynamoDB Streams request, carried out by weir (docs/streams.md, "Through the firewall").
 * Every decision is the caller's decision of the Streams operation on the stream's table (the
 * {@code read} group covers the four), and every record goes through that decision's read view.
 *
 * <ul>
 *   <li>ListStreams: the streams of the tables the caller may read, paged by weir so a hidden
 *       stream ends no page and names no {@code LastEvaluatedStreamArn}; a {@code TableName} the
 *       caller may not read lists nothing, as for a table without a stream.</li>
 *   <li>DescribeStream: the store's description; for a restricted view rebuilt from the members
 *       named here, and refused on an upstream whose numbers may count records.</li>
 *   <li>GetShardIterator: the stream's view type and key schema read first (DescribeStream), the
 *       caller's access checked ({@link StreamAccess}), the upstream's iterator sealed.</li>
 *   <li>GetRecords: the iterator unsealed, access checked again under the policy in force now,
 *       records cut and paged ({@link RecordPager}), the next iterator sealed.</li>
 * </ul>
 */
final class StreamAnswer implements SelfAnswered {
    private static final Logger log = LoggerFactory.getLogger(StreamAnswer.class);
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** DynamoDB's default and most streams per ListStreams. */
    static final int MAX_STREAMS = 100;

    private final IteratorSeal seal;
    private final UpstreamNumbers numbers;
    private final TableTags tableTags;

    StreamAnswer(IteratorSeal seal, UpstreamNumbers numbers, TableTags tableTags) {
        this.seal = seal;
        this.numbers = numbers;
        this.tableTags = tableTags;
    }

    @Override public CompletableFuture<Answered> answer(Planned planned, UpstreamClient upstream, long deadlineNanos) {
        Operation op = planned.parsed().request().operation();
        CompletableFuture<Answered> answered;
        try {
            answered = switch (op) {
                case ListStreams -> listStreams(planned, upstream, deadlineNanos);
                case DescribeStream -> describeStream(planned, upstream, deadlineNanos);
                case GetShardIterator -> getShardIterator(planned, upstream, deadlineNanos);
                case GetRecords -> getRecords(planned, upstream, deadlineNanos);
                default -> throw new IllegalArgumentException(op + " is not a Streams operation");
            };
        } catch (dev.weir.proxy.enforce.verdict.Refusal r) {
            return CompletableFuture.completedFuture(Answered.refused(planned, r.verdict(planned.decided().ruleIds())));
        }
        return answered.exceptionally(err -> failed(planned, err));
    }

    // ---- ListStreams

    private CompletableFuture<Answered> listStreams(Planned planned, UpstreamClient upstream, long deadline) {
        ObjectNode body = planned.parsed().request().body();
        int limit = limit(body, MAX_STREAMS, "limit");
        ObjectNode first = NODES.objectNode();
        if (planned.parsed().request().table() != null) first.put("TableName", planned.parsed().request().table());
        if (body.get("ExclusiveStartStreamArn") instanceof JsonNode s && s.isTextual()) first.set("ExclusiveStartStreamArn", s);
        return listPage(planned, upstream, deadline, first, limit, NODES.arrayNode(), 0, new LinkedHashSet<>());
    }

    private CompletableFuture<Answered> listPage(Planned planned, UpstreamClient upstream, long deadline, ObjectNode request,
                                                 int limit, ArrayNode shown, int hidden, LinkedHashSet<String> rules) {
        if (System.nanoTime() - deadline >= 0) return CompletableFuture.failedFuture(new TimeoutException("listing"));
        ObjectNode ask = request.deepCopy();
        ask.put("Limit", limit - shown.size());
        return call(upstream, Operation.ListStreams, ask, deadline).thenCompose(page -> {
            List<JsonNode> streams = new ArrayList<>();
            if (page.get("Streams") instanceof ArrayNode a) a.forEach(streams::add);
            List<String> tables = streams.stream().map(s -> s.path("TableName").asText()).distinct().toList();
            return tagsOf(planned, tables, deadline, upstream).thenCompose(tags -> {
                int dropped = hidden;
                for (JsonNode s : streams) {
                    String table = s.path("TableName").asText();
                    Decision d = Decider.decideOn(planned.parsed(), table, tags.getOrDefault(table, Map.of()));
                    rules.addAll(d.ruleIds());
                    if (d instanceof Allowed) {
                        ObjectNode one = NODES.objectNode();
                        for (String m : List.of("StreamArn", "TableName", "StreamLabel")) {
                            if (s.get(m) != null) one.set(m, s.get(m));
                        }
                        shown.add(one);
                    } else {
                        dropped++;
                    }
                }
                JsonNode last = page.get("LastEvaluatedStreamArn");
                boolean more = last != null && last.isTextual();
                if (more && shown.size() < limit) {
                    ObjectNode next = request.deepCopy();
                    next.set("ExclusiveStartStreamArn", last);
                    return listPage(planned, upstream, deadline, next, limit, shown, dropped, rules);
                }
                ObjectNode out = NODES.objectNode();
                out.set("Streams", shown);
                // The page is full: it ends at its last stream, which the caller sees (weir asked for no more).
                if (more && !shown.isEmpty()) out.set("LastEvaluatedStreamArn", shown.get(shown.size() - 1).get("StreamArn"));
                Verdict permitted = new Verdict.Permitted(List.copyOf(rules));
                return CompletableFuture.completedFuture(new Answered(planned, permitted, ProxyResponse.of(200, bytes(out)), 200,
                        dropped, shown.size(), planned.nanos()));
            });
        });
    }

    private CompletableFuture<Map<String, Map<String, String>>> tagsOf(Planned planned, List<String> tables, long deadline,
                                                                      UpstreamClient upstream) {
        if (!planned.parsed().policy().usesTableTags() || tables.isEmpty()) return CompletableFuture.completedFuture(Map.of());
        if (tableTags == null) return CompletableFuture.failedFuture(new IllegalStateException("no source of table tags"));
        return dev.weir.proxy.upstream.DeadlineTimer.bound(tableTags.of(tables), deadline, upstream.executor(),
                () -> new TimeoutException("the tags did not come before the request's deadline"));
    }

    // ---- DescribeStream

    private CompletableFuture<Answered> describeStream(Planned planned, UpstreamClient upstream, long deadline) {
        ReadView view = view(planned);
        StreamAccess.numbersRefusal(view, numbers).ifPresent(why -> { throw refuse(planned).forbidden(why); });
        byte[] body = planned.received().http().body();
        return upstream.send(Target.of(Operation.DescribeStream), body, deadline).thenApply(resp -> {
            if (resp.status() != 200 || view.isUnrestricted()) return passed(planned, resp);
            JsonNode answer = json(resp);
            ObjectNode out = NODES.objectNode();
            JsonNode d = answer.path("StreamDescription");
            ObjectNode desc = out.putObject("StreamDescription");
            for (String m : List.of("StreamArn", "StreamLabel", "StreamStatus", "StreamViewType", "CreationRequestDateTime",
                    "TableName", "KeySchema", "LastEvaluatedShardId")) {
                if (d.get(m) != null) desc.set(m, d.get(m));
            }
            ArrayNode shards = desc.putArray("Shards");
            for (JsonNode s : d.path("Shards")) {
                ObjectNode shard = shards.addObject();
                if (s.get("ShardId") != null) shard.set("ShardId", s.get("ShardId"));
                if (s.get("ParentShardId") != null) shard.set("ParentShardId", s.get("ParentShardId"));
                JsonNode range = s.get("SequenceNumberRange");
                if (range != null) {
                    ObjectNode r = shard.putObject("SequenceNumberRange");
                    for (String m : List.of("StartingSequenceNumber", "EndingSequenceNumber")) {
                        if (range.get(m) != null) r.set(m, range.get(m));
                    }
                }
            }
            return new Answered(planned, permitted(planned), ProxyResponse.of(200, bytes(out)), 200, 0, 0, planned.nanos());
        });
    }

    // ---- GetShardIterator

    private CompletableFuture<Answered> getShardIterator(Planned planned, UpstreamClient upstream, long deadline) {
        ObjectNode body = planned.parsed().request().body();
        String arn = body.path("StreamArn").asText();
        ObjectNode describe = NODES.objectNode().put("StreamArn", arn).put("Limit", 1);
        return upstream.send(Target.of(Operation.DescribeStream), bytes(describe), deadline).thenCompose(described -> {
            if (described.status() != 200) return CompletableFuture.completedFuture(passed(planned, described));
            JsonNode d = json(described).path("StreamDescription");
            ViewType type = ViewType.named(d.path("StreamViewType").asText(null));
            List<String> keys = new ArrayList<>();
            for (JsonNode k : d.path("KeySchema")) keys.add(k.path("AttributeName").asText());
            if (type == null || keys.isEmpty()) {
                throw new IllegalStateException("the upstream described the stream without its view type or key schema");
            }
            Optional<String> refusal = StreamAccess.recordsRefusal(view(planned), keys, type, numbers);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(Answered.refused(planned,
                        refuse(planned).forbidden(refusal.get()).verdict(planned.decided().ruleIds())));
            }
            return upstream.send(Target.of(Operation.GetShardIterator), planned.received().http().body(), deadline).thenApply(resp -> {
                if (resp.status() != 200) return passed(planned, resp);
                JsonNode it = json(resp).get("ShardIterator");
                if (it == null || !it.isTextual()) throw new IllegalStateException("the upstream sent no ShardIterator");
                SealedIterator sealed = new SealedIterator(planned.parsed().request().table(), arn,
                        body.path("ShardId").asText(), type, keys, it.textValue());
                ObjectNode out = NODES.objectNode().put("ShardIterator", seal.seal(sealed));
                return new Answered(planned, permitted(planned), ProxyResponse.of(200, bytes(out)), 200, 0, 0, planned.nanos());
            });
        });
    }

    // ---- GetRecords

    private CompletableFuture<Answered> getRecords(Planned planned, UpstreamClient upstream, long deadline) {
        ObjectNode body = planned.parsed().request().body();
        int limit = body.hasNonNull("Limit") ? limit(body, Integer.MAX_VALUE, "limit") : RecordPager.MAX_LIMIT;
        if (limit > RecordPager.MAX_LIMIT) throw Refusals.invalid(DynamoError.getRecordsLimitExceeded()); // as the store answers it
        SealedIterator it = seal.unseal(body.path("ShardIterator").asText(null))
                .orElseThrow(() -> Refusals.invalid("Invalid ShardIterator"));
        ReadView view = view(planned);
        StreamAccess.recordsRefusal(view, it.keyAttributes(), it.viewType(), numbers)
                .ifPresent(why -> { throw refuse(planned).forbidden(why); });
        long start = planned.received().nanos();
        long stop = start + (deadline - start) / 4 * 3;
        RecordPager pager = new RecordPager(view, it.viewType(), limit, (upstreamIterator, n) -> {
            ObjectNode ask = NODES.objectNode().put("ShardIterator", upstreamIterator).put("Limit", n);
            return upstream.send(Target.of(Operation.GetRecords), bytes(ask), deadline).thenApply(resp -> {
                if (resp.status() != 200) throw new StoreRead.StoreError(resp);
                return json(resp);
            });
        }, stop, System::nanoTime);
        return pager.run(it.upstream()).handle((page, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
                if (cause instanceof StoreRead.StoreError e) return passed(planned, e.response());
                throw err instanceof CompletionException c ? c : new CompletionException(err);
            }
            ObjectNode out = NODES.objectNode();
            ArrayNode records = out.putArray("Records");
            List<ObjectNode> keys = new ArrayList<>();
            for (ObjectNode r : page.records()) {
                records.add(r);
                if (r.path("dynamodb").get("Keys") instanceof ObjectNode k) keys.add(k);
            }
            if (page.nextUpstream() != null) out.put("NextShardIterator", seal.seal(it.next(page.nextUpstream())));
            boolean counted = !view.isUnrestricted();
            return new Answered(planned, permitted(planned), ProxyResponse.of(200, bytes(out)), 200, page.dropped(),
                    counted ? page.records().size() : 0, planned.nanos(), Touched.keys(keys, view.fields()));
        });
    }

    // ---- shared

    /** Limit: absent → the most; else an integer from 1 to the most, or DynamoDB's ValidationException. */
    private static int limit(ObjectNode body, int most, String member) {
        JsonNode l = body.get("Limit");
        if (l == null || l.isNull()) return most;
        if (!l.isIntegralNumber() || !l.canConvertToInt()) {
            throw Refusals.invalid(DynamoError.serialization("NUMBER_VALUE cannot be converted to Integer"));
        }
        int v = l.intValue();
        if (v < 1) {
            throw Refusals.invalid("1 validation error detected: Value '" + v + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        if (v > most) {
            throw Refusals.invalid("1 validation error detected: Value '" + v + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value less than or equal to " + most);
        }
        return v;
    }

    private static CompletableFuture<JsonNode> call(UpstreamClient upstream, Operation op, ObjectNode body, long deadline) {
        return upstream.send(Target.of(op), bytes(body), deadline).thenApply(resp -> {
            if (resp.status() != 200) throw new StoreRead.StoreError(resp);
            return json(resp);
        });
    }

    private static ReadView view(Planned planned) {
        return planned.decided().of(planned.parsed().request().single()).view();
    }

    private static Refusals refuse(Planned planned) {
        return Refusals.of(planned.decided().principal(), planned.parsed().request().operation(),
                planned.parsed().request().table());
    }

    private static Verdict permitted(Planned planned) {
        return new Verdict.Permitted(planned.decided().ruleIds());
    }

    /** The store's answer as it is: an error, or a body the caller's unrestricted view may get whole. */
    private static Answered passed(Planned planned, UpstreamResponse resp) {
        return new Answered(planned, permitted(planned), new ProxyResponse(resp.status(), resp.body(), resp.crc32()),
                resp.status(), 0, 0, planned.nanos());
    }

    private static Answered failed(Planned planned, Throwable err) {
        Throwable cause = err;
        while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof StoreRead.StoreError e) return passed(planned, e.response());
        if (cause instanceof dev.weir.proxy.enforce.verdict.Refusal r) {
            return Answered.refused(planned, r.verdict(planned.decided().ruleIds()));
        }
        if (cause instanceof TimeoutException || cause instanceof IOException) {
            log.warn("a {} could not be completed: {}", planned.parsed().request().operation(), cause.toString());
        } else {
            log.warn("a {} failed: {}", planned.parsed().request().operation(), cause.getClass().getSimpleName());
        }
        return UpstreamFailures.answered(planned, permitted(planned), cause,
                "weir could not complete the answer before its deadline", "weir could not read the store's answer");
    }

    private static JsonNode json(UpstreamResponse resp) {
        try {
            return JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new IllegalStateException("the store's answer is not JSON");
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
