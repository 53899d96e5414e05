package dev.weir.proxy.server;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The framing guard in the pipeline ProxyServer builds (guard, HttpServerCodec, aggregator,
 * with small limits so that they are reached) on arbitrary bytes, delivered in reads of
 * arbitrary sizes. Invariants: no exception reaches the end of the pipeline (the firewall
 * handler would only close); every request head Netty reads undamaged is
 * unambiguous (at most one Content-Length, never with Transfer-Encoding, which may only be
 * {@code chunked}); and Netty frames requests exactly as a strict reference framer written from
 * the guard's rules does: the n-th request head Netty reads is the reference's n-th, and the
 * request the handler gets from it has the body the reference reads. A request that parsers
 * could frame differently (smuggling) would break the last.
 *
 * <p>The input is the raw bytes a client sends. Regression inputs live in
 * {@code HttpFramingGuardFuzzTestInputs/<method>/}; {@code ./weir fuzz http-framing} fuzzes.
 */
class HttpFramingGuardFuzzTest {
    private static final ProxyServer.Limits LIMITS = new ProxyServer.Limits(256, 512, 1024, 30_000, 60_000, 10);

    @FuzzTest
    @DictionaryFile(resourcePath = "http.dict")
    void framingIsUnambiguous(byte[] input) {
        List<HttpRequest> heads = new ArrayList<>();
        List<FullHttpRequest> requests = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new HttpFramingGuard(new HttpFramingGuard.Settings(LIMITS.maxInitialLine() + LIMITS.maxHeaderBytes(),
                        LIMITS.maxBodyBytes(), LIMITS.requestTimeoutMillis(), LIMITS.idleTimeoutMillis())),
                new HttpServerCodec(LIMITS.maxInitialLine(), LIMITS.maxHeaderBytes(), 64 * 1024),
                new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpRequest head) heads.add(head);
                        ctx.fireChannelRead(msg);
                    }
                },
                new HttpObjectAggregator(LIMITS.maxBodyBytes()),
                new ChannelDuplexHandler() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        FullHttpRequest request = (FullHttpRequest) msg;
                        requests.add(request.copy());
                        request.release();
                        // As FirewallHandler: a request that did not frame cleanly gets 400 and a close.
                        if (request.decoderResult().isFailure()) ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // Once the connection is closing (the client left, or the guard or this handler
                        // refused a request) the aggregator reports it, or a write that came too late:
                        // that is the close itself. An exception on an open connection is a finding.
                        if (ctx.channel().isOpen() && !(cause instanceof PrematureChannelClosureException)) errors.add(cause);
                        ctx.close();
                    }
                });
        // Reads of sizes drawn from the input itself, so that a finding replays exactly.
        Random reads = new Random(Arrays.hashCode(input));
        for (int at = 0; at < input.length && ch.isOpen(); ) {
            int n = Math.min(input.length - at, reads.nextInt(4) == 0 ? 1 + reads.nextInt(8) : input.length);
            ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
            at += n;
        }
        for (Object out; (out = ch.readOutbound()) != null; ) ((ByteBuf) out).release();
        ch.finishAndReleaseAll();

        if (!errors.isEmpty()) fail("an exception reached the handler", errors.getFirst());
        List<Reference.Request> expected = Reference.frame(input);
        for (int h = 0; h < heads.size(); h++) {
            HttpRequest head = heads.get(h);
            if (head.decoderResult().isFailure()) break;
            int i = h;
            assertTrue(i < expected.size(), () -> "Netty read a request head the reference does not: "
                    + head.method() + " " + head.uri() + " in " + text(input));
            List<String> lengths = head.headers().getAll("Content-Length");
            List<String> encodings = head.headers().getAll("Transfer-Encoding");
            assertTrue(lengths.size() <= 1, () -> "two Content-Length headers passed: " + text(input));
            assertTrue(lengths.isEmpty() || encodings.isEmpty(), () -> "Content-Length and Transfer-Encoding passed: " + text(input));
            assertTrue(encodings.isEmpty() || encodings.size() == 1 && encodings.getFirst().strip().equalsIgnoreCase("chunked"),
                    () -> "Transfer-Encoding " + encodings + " passed: " + text(input));
            // The request the aggregator made of this head (it shares the head's headers), unless
            // the aggregator answered the head itself (417 to an unknown Expect, say).
            for (FullHttpRequest request : requests) {
                if (request.headers() != head.headers() || request.decoderResult().isFailure()) continue;
                byte[] body = expected.get(i).body();
                assertTrue(body != null, () -> "request " + i + " reached the handler before its body was complete: " + text(input));
                assertArrayEquals(body, ByteBufUtil.getBytes(request.content()),
                        () -> "request " + i + " has another body than the reference reads in " + text(input));
            }
        }
        requests.forEach(FullHttpRequest::release);
    }

    private static String text(byte[] input) {
        return "'" + new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    /**
     * A strict HTTP/1.1 request framer written from the guard's documented rules, reading a
     * whole byte string at once: CRLF line ends only, no obs-fold, {@code name:} with no space
     * before the colon, one Content-Length of digits, or Transfer-Encoding {@code chunked} alone.
     * It reads requests until the bytes end or break a rule; a request whose head it read but
 * whose body is incomplete or malformed ends the list with a null body. Limits are not modelled: where the
 * guard refuses for size, the handler gets nothing more, which the comparison allows.
     */
    static final class Reference {
        /** A request's body, or null when the bytes end before it does. */
        record Request(byte[] body) {}

        static List<Request> frame(byte[] in) {
            List<Request> out = new ArrayList<>();
            int pos = 0;
            while (pos < in.length) {
                int end = indexOf(in, "\r\n\r\n", pos);
                if (end < 0) break;
                if (end == pos) { // an empty line before a request: Netty skips it, the guard reads an empty head
                    pos += 4;
                    continue;
                }
                String head = new String(in, pos, end - pos, StandardCharsets.ISO_8859_1);
                if (head.replace("\r\n", "").indexOf('\n') >= 0) break;
                String[] lines = head.split("\r\n", -1);
                String length = null, encoding = null;
                int lengths = 0, encodings = 0;
                boolean bad = false;
                for (int k = 1; k < lines.length && !bad; k++) {
                    String line = lines[k];
                    int colon = line.indexOf(':');
                    if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t' || colon <= 0
                            || line.charAt(colon - 1) == ' ' || line.charAt(colon - 1) == '\t') {
                        bad = true;
                        break;
                    }
                    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim(); // up to space, as the guard trims
                    if (name.equals("content-length")) {
                        lengths++;
                        length = value;
                    } else if (name.equals("transfer-encoding")) {
                        encodings++;
                        encoding = value;
                    }
                }
                if (bad || lengths > 1 || encodings > 1 || (lengths == 1 && encodings == 1)) break;
                pos = end + 4;
                if (encoding != null) {
                    if (!encoding.equalsIgnoreCase("chunked")) break;
                    int[] next = {pos};
                    byte[] body = chunked(in, next);
                    out.add(new Request(body));
                    if (body == null) break;
                    pos = next[0];
                } else {
                    long n = 0;
                    if (length != null) {
                        if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) break;
                        n = Long.parseLong(length);
                    }
                    if (in.length - pos < n) {
                        out.add(new Request(null));
                        break;
                    }
                    out.add(new Request(Arrays.copyOfRange(in, pos, pos + (int) n)));
                    pos += (int) n;
                }
            }
            return out;
        }

        /** A chunked body from {@code at[0]} on (moving it past the trailers), or null if incomplete or malformed. */
        private static byte[] chunked(byte[] in, int[] at) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            int pos = at[0];
            while (true) {
                int eol = indexOf(in, "\r\n", pos);
                if (eol < 0) return null;
                String line = new String(in, pos, eol - pos, StandardCharsets.ISO_8859_1);
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) return null;
                int semi = line.indexOf(';');
                String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
                if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) return null;
                long size = Long.parseLong(hex, 16);
                pos = eol + 2;
                if (size == 0) break;
                if (in.length - pos < size + 2) return null;
                body.write(in, pos, (int) size);
                pos += (int) size;
                if (in[pos] != '\r' || in[pos + 1] != '\n') return null;
                pos += 2;
            }
            while (true) {
                int eol = indexOf(in, "\r\n", pos);
                if (eol < 0) return null;
                String line = new String(in, pos, eol - pos, StandardCharsets.ISO_8859_1);
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) return null;
                pos = eol + 2;
                if (line.isEmpty()) break;
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') return null;
            }
            at[0] = pos;
            return body.toByteArray();
        }

        private static int indexOf(byte[] in, String what, int from) {
            byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
            outer:
            for (int i = from; i <= in.length - w.length; i++) {
                for (int k = 0; k < w.length; k++) if (in[i + k] != w[k]) continue outer;
                return i;
            }
            return -1;
        }
    }
}
