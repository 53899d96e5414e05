package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.request.BodyTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@link BodyTree} against Jackson doing the same work as weir had it do (the reader-based
 * parser, names not kept between parses, duplicates and trailing content refused), by thread
 * CPU in alternating windows ({@link CpuWindows}), on the load's request bodies
 * ({@code PeopleWorkload}, 256 of each kind: other keys and values). Run
 * {@code java -cp "bench/target/weir-bench-*.jar:$(cat bench/target/classpath.txt)" dev.weir.bench.jmh.RequestTreeCpu [kind...]}.
 */
public final class RequestTreeCpu {
    private static final int POOL = 256;

    private RequestTreeCpu() {}

    public static void main(String[] args) {
        ObjectMapper jackson = JsonBodies.mapper()
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        PeopleWorkload workload = new PeopleWorkload(new ObjectMapper(), 10_000);
        List<String> kinds = args.length > 0 ? List.of(args) : List.of("GetItem", "Query", "Scan", "PutItem", "UpdateItem");
        for (String kind : kinds) {
            byte[][] bodies = new byte[POOL][];
            for (int k = 0; k < POOL; k++) {
                bodies[k] = workload.sampleBody(kind, k);
                ObjectNode mine = BodyTree.read(bodies[k]);
                if (mine == null || !mine.equals(read(jackson, bodies[k]))) {
                    throw new IllegalStateException("BodyTree does not read a " + kind + " body as Jackson does");
                }
            }
            int[] next = {0, 0};
            CpuWindows.compare(kind + " body to tree", "BodyTree.read", () -> BodyTree.read(bodies[next[0]++ & (POOL - 1)]),
                    "Jackson as weir had it", () -> read(jackson, bodies[next[1]++ & (POOL - 1)]));
        }
    }

    private static ObjectNode read(ObjectMapper jackson, byte[] body) {
        try {
            return (ObjectNode) jackson.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
