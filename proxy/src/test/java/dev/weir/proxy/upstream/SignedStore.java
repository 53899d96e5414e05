package dev.weir.proxy.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.transport.Transport;
import dev.weir.store.BundledStore;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A real bundled store on a free loopback port, reached the way weir reaches its upstream: an
 * {@link UpstreamClient} signing every request with weir's upstream credentials
 * ({@link #CREDENTIALS}; once the store verifies signatures, it is opened with them). Every
 * request of a test goes through {@link #send}, so that is the one place that talks to the store.
 */
public final class SignedStore implements AutoCloseable {
    public static final Credentials CREDENTIALS = new Credentials("AKIDWEIRTEST", "weir-test-secret");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundledStore store;
    private final EventLoopGroup group;
    private final UpstreamClient client;

    public SignedStore(Path dataDir) {
        store = BundledStore.open(dataDir, CREDENTIALS);
        InetSocketAddress address = store.listen("127.0.0.1", 0);
        group = Transport.NIO.newEventLoopGroup(1);
        client = new UpstreamClient(URI.create("http://127.0.0.1:" + address.getPort() + "/"),
                new SigV4Signer(CREDENTIALS, "us-east-1", "dynamodb"), Transport.NIO, group, 4,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** Sends one request (X-Amz-Target, body), signed as weir: the shape {@code TableSchemas} and the pager's fetch take. */
    public CompletableFuture<UpstreamResponse> send(String target, byte[] body) {
        return client.send(target, body);
    }

    /** Sends {@code json} as {@code op} and returns the answer, which must be a 200. */
    public JsonNode call(Operation op, String json) {
        UpstreamResponse r = send(Target.of(op), json.getBytes(StandardCharsets.UTF_8)).join();
        try {
            JsonNode answer = JSON.readTree(r.body());
            if (r.status() != 200) throw new IllegalStateException(op + " answered " + r.status() + ": " + answer);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        } finally {
            store.close();
        }
    }
}
