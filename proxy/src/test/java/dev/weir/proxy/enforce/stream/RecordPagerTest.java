package dev.weir.proxy.enforce.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.read.StoreRead;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restricted GetRecords pager against a scripted shard: a list of records, an upstream
 * iterator being a position in it ("pos:N"), pages of at most the Limit asked (and at most
 * {@code pageMax}), an empty page at the tip, no NextShardIterator once a closed shard is read.
 */
class RecordPagerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadView READER = StreamViews.view("reader");
    private static final long FAR = Long.MAX_VALUE / 2;

    private static JsonNode insert(int i, String region) {
        try {
            return JSON.readTree("{\"eventID\":\"e" + i + "\",\"eventName\":\"INSERT\",\"eventVersion\":\"1.1\","
                    + "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
                    + "\"ApproximateCreationDateTime\":1767225600,\"Keys\":{\"pk\":{\"S\":\"p" + i + "\"},\"sk\":{\"N\":\"1\"}},"
                    + "\"NewImage\":{\"pk\":{\"S\":\"p" + i + "\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"" + region + "\"}},"
                    + "\"SequenceNumber\":\"" + String.format("%021d", i) + "\",\"SizeBytes\":10,\"StreamViewType\":\"NEW_IMAGE\"}}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final class Shard implements RecordPager.Upstream {
        final List<JsonNode> records = new ArrayList<>();
        final boolean closed;
        final int pageMax;
        final List<Integer> limits = new ArrayList<>();

        Shard(boolean closed, int pageMax, String... regions) {
            this.closed = closed;
            this.pageMax = pageMax;
            for (int i = 0; i < regions.length; i++) records.add(insert(i, regions[i]));
        }

        @Override public CompletableFuture<JsonNode> getRecords(String iterator, int limit) {
            limits.add(limit);
            int pos = Integer.parseInt(iterator.substring(4));
            int end = Math.min(records.size(), pos + Math.min(limit, pageMax));
            ObjectNode page = JSON.createObjectNode();
            ArrayNode list = page.putArray("Records");
            for (int i = pos; i < end; i++) list.add(records.get(i));
            if (!(closed && end == records.size())) page.put("NextShardIterator", "pos:" + end);
            return CompletableFuture.completedFuture(page);
        }
    }

    private static List<String> ids(RecordPager.Page p) {
        return p.records().stream().map(r -> r.get("eventID").asText()).toList();
    }

    @Test
    void hiddenRecordsEndNothingAndCountNowhere() {
        Shard shard = new Shard(false, 1000, "us", "us", "eu", "us", "eu", "eu", "us");
        RecordPager.Page p = new RecordPager(READER, ViewType.NEW_IMAGE, 1, shard, FAR, System::nanoTime).run("pos:0").join();
        assertEquals(List.of("e2"), ids(p), "Limit 1 skips the hidden records before the first visible one");
        assertEquals("pos:3", p.nextUpstream(), "and stops right after it: nothing is read past the page");
        assertEquals(2, p.dropped());
        assertTrue(shard.limits.stream().allMatch(l -> l == 1), "never asks for more than the page lacks");

        RecordPager.Page two = new RecordPager(READER, ViewType.NEW_IMAGE, 2, shard, FAR, System::nanoTime).run("pos:3").join();
        assertEquals(List.of("e4", "e5"), ids(two));
        RecordPager.Page tip = new RecordPager(READER, ViewType.NEW_IMAGE, 5, shard, FAR, System::nanoTime).run("pos:6").join();
        assertEquals(List.of(), ids(tip), "only hidden records left, then the tip: an empty page means nothing more now");
        assertEquals("pos:7", tip.nextUpstream());
    }

    /** The pages a restricted reader gets are those of a shard holding only its records. */
    @Test
    void pagesAreThoseOfTheVisibleRecordsAlone() {
        String[] regions = new String[200];
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < regions.length; i++) regions[i] = random.nextInt(3) == 0 ? "eu" : "us";
        for (int limit : new int[] {1, 3, 7, 1000}) {
            for (int pageMax : new int[] {1, 4, 1000}) {
                Shard shard = new Shard(true, pageMax, regions);
                List<String> seen = new ArrayList<>();
                String it = "pos:0";
                int pages = 0;
                while (it != null) {
                    RecordPager.Page p = new RecordPager(READER, ViewType.NEW_IMAGE, limit, shard, FAR, System::nanoTime).run(it).join();
                    assertTrue(p.records().size() <= limit);
                    if (p.nextUpstream() != null && p.records().size() < limit) {
                        // a short page only at the end of the shard
                        assertTrue(Integer.parseInt(p.nextUpstream().substring(4)) == regions.length, "short page mid-shard");
                    }
                    seen.addAll(ids(p));
                    it = p.nextUpstream();
                    if (++pages > 1000) throw new AssertionError("no end");
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < regions.length; i++) if (regions[i].equals("eu")) expected.add("e" + i);
                assertEquals(expected, seen, "limit " + limit + ", pageMax " + pageMax);
            }
        }
    }

    @Test
    void aClosedShardReadToItsEndHasNoNextIterator() {
        Shard shard = new Shard(true, 1000, "eu", "us");
        RecordPager.Page p = new RecordPager(READER, ViewType.NEW_IMAGE, 10, shard, FAR, System::nanoTime).run("pos:0").join();
        assertEquals(List.of("e0"), ids(p));
        assertNull(p.nextUpstream());
    }

    @Test
    void anUnrestrictedViewGetsTheUpstreamPage() {
        Shard shard = new Shard(false, 2, "us", "eu", "us");
        RecordPager.Page p = new RecordPager(StreamViews.view("admin"), ViewType.NEW_IMAGE, 1000, shard, FAR, System::nanoTime)
                .run("pos:0").join();
        assertEquals(List.of("e0", "e1"), ids(p));
        assertEquals(1, shard.limits.size(), "one upstream call: the page passes through");
    }

    @Test
    void pagingStopsWhenItsTimeIsUp() {
        Shard shard = new Shard(false, 1, "us", "us", "us", "us", "eu");
        AtomicLong now = new AtomicLong();
        RecordPager.Page p = new RecordPager(READER, ViewType.NEW_IMAGE, 1, shard, 2, () -> now.incrementAndGet())
                .run("pos:0").join();
        assertEquals(List.of(), ids(p));
        assertEquals("pos:2", p.nextUpstream(), "the next page starts where this one stopped: nothing is lost");
    }

    @Test
    void theFirstPagesErrorIsTheAnswerALaterOneEndsThePage() {
        UpstreamResponse trimmed = new UpstreamResponse(400, null,
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException\"}".getBytes());
        Shard shard = new Shard(false, 1, "us", "eu");
        RecordPager.Upstream failing = (it, limit) -> it.equals("pos:0")
                ? CompletableFuture.failedFuture(new StoreRead.StoreError(trimmed)) : shard.getRecords(it, limit);
        CompletionException e = assertThrows(CompletionException.class, () ->
                new RecordPager(READER, ViewType.NEW_IMAGE, 1, failing, FAR, System::nanoTime).run("pos:0").join());
        assertInstanceOf(StoreRead.StoreError.class, e.getCause());

        RecordPager.Upstream laterFails = (it, limit) -> it.equals("pos:1")
                ? CompletableFuture.failedFuture(new StoreRead.StoreError(trimmed)) : shard.getRecords(it, limit);
        RecordPager.Page p = new RecordPager(READER, ViewType.NEW_IMAGE, 1, laterFails, FAR, System::nanoTime).run("pos:0").join();
        assertEquals(List.of(), ids(p));
        assertEquals("pos:1", p.nextUpstream());
    }

    @Test
    void limitsOutsideOneToAThousandAreRefused() {
        Shard shard = new Shard(false, 1);
        assertThrows(IllegalArgumentException.class, () -> new RecordPager(READER, ViewType.NEW_IMAGE, 0, shard, FAR, System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new RecordPager(READER, ViewType.NEW_IMAGE, 1001, shard, FAR, System::nanoTime));
    }
}
