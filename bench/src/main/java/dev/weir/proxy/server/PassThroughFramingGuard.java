package dev.weir.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The framing guard as it was before it became the only request parser (git history of
 * proxy/server/HttpFramingGuard): it checked the framing on the raw bytes and passed them on
 * to Netty's HttpRequestDecoder and HttpObjectAggregator. Kept here only as the baseline of
 * {@link ClientFramingCpu}; weir does not use it.
 */
final class PassThroughFramingGuard extends ChannelDuplexHandler {
    /**
     * Timeouts and limits; a zero timeout disables it.
     *
     * @param firstByteTimeoutMillis how long a new connection may stay silent before its first
     *                               byte (after TLS, its first byte of HTTP); shorter than idle,
     *                               so that connections that never send hold a slot briefly
     */

    private enum State { IDLE, HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

    private static final long LINGER_MILLIS = 2_000;

    private final HttpFramingGuard.Settings settings;
    private State state = State.IDLE;
    /** The request head as it arrives (bytes, bulk-copied), grown up to the head limit. */
    private byte[] headBytes = new byte[1024];
    private int headLength;
    /** The current chunk-size or trailer line. */
    private final StringBuilder head = new StringBuilder(64);
    private long remaining;
    private long bodyBytes;
    private int lineLength;
    private boolean lastWasCr;
    private boolean failed;
    /*
     * Timers are re-armed on every request, so rather than scheduling and cancelling a task
     * each time (a priority-queue insert and removal per request), each timer is one task that
     * is scheduled once and, when it fires early because its deadline moved, reschedules itself
     * for the rest. A deadline of 0 means disarmed; the task then just ends.
     */
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> idleTimer;
    private long requestDeadline;
    private long idleDeadline;

    PassThroughFramingGuard(HttpFramingGuard.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armIdle(ctx, settings.firstByteTimeoutMillis() > 0 ? settings.firstByteTimeoutMillis() : settings.idleTimeoutMillis());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            buf.release();
            return;
        }
        String problem = scan(ctx, buf);
        if (problem != null) {
            buf.release();
            boolean coded = problem.length() > 4 && Character.isDigit(problem.charAt(0)) && problem.charAt(3) == ' ';
            reject(ctx, coded ? Integer.parseInt(problem.substring(0, 3)) : 400, coded ? problem.substring(4) : problem);
            return;
        }
        ctx.fireChannelRead(buf);
    }

    /** Walks the bytes through the framing state machine; returns a problem or null. */
    private String scan(ChannelHandlerContext ctx, ByteBuf buf) {
        int i = buf.readerIndex(), end = buf.writerIndex();
        while (i < end) {
            switch (state) {
                case IDLE -> {
                    idleDeadline = 0;
                    armRequestTimer(ctx);
                    headLength = 0;
                    lastWasCr = false;
                    state = State.HEAD;
                }
                case HEAD -> {
                    // Copy what fits under the limit, then look for the blank line that ends the head.
                    int n = Math.min(end - i, settings.maxHeadBytes() - headLength);
                    if (n == 0) return "431 request head too large";
                    if (headLength + n > headBytes.length) {
                        headBytes = java.util.Arrays.copyOf(headBytes, Math.min(settings.maxHeadBytes(),
                                Math.max(headLength + n, headBytes.length * 2)));
                    }
                    buf.getBytes(i, headBytes, headLength, n);
                    int from = Math.max(headLength, 3), to = headLength + n;
                    int endOfHead = -1;
                    for (int j = from; j < to; j++) {
                        if (headBytes[j] == '\n' && headBytes[j - 1] == '\r' && headBytes[j - 2] == '\n' && headBytes[j - 3] == '\r') {
                            endOfHead = j + 1;
                            break;
                        }
                    }
                    if (endOfHead < 0) {
                        i += n;
                        headLength = to;
                    } else {
                        i += endOfHead - headLength;
                        headLength = endOfHead;
                        String problem = checkHead(ctx);
                        if (problem != null) return problem;
                    }
                }
                case FIXED_BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) requestDone(ctx);
                }
                case CHUNK_SIZE, TRAILERS -> {
                    byte b = buf.getByte(i++);
                    String problem = state == State.CHUNK_SIZE ? chunkSizeByte(b) : trailerByte(ctx, b);
                    if (problem != null) return problem;
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                        lineLength = 0;
                    }
                }
                case CHUNK_DATA_END -> {
                    byte b = buf.getByte(i++);
                    if (lineLength == 0 && b == '\r') {
                        lineLength = 1;
                    } else if (lineLength == 1 && b == '\n') {
                        state = State.CHUNK_SIZE;
                        head.setLength(0);
                        lastWasCr = false;
                    } else {
                        return "malformed chunk: data longer than its size";
                    }
                }
            }
        }
        return null;
    }

    /** Validates a complete request head and decides how its body is framed. */
    private String checkHead(ChannelHandlerContext ctx) {
        byte[] h = headBytes;
        int length = headLength;
        for (int k = 0; k < length; k++) {
            if (h[k] == '\n' && (k == 0 || h[k - 1] != '\r')) return "bare LF in the request head";
        }
        int contentLengths = 0;
        String contentLength = null, transferEncoding = null;
        // Header lines are separated by CRLF (a lone CR stays inside its line); the head ends
        // with the blank line's CRLFCRLF, and the first line is the request line. A head that
        // is only that blank line is an empty line before a request, which Netty skips.
        int last = length - 4;
        boolean http10 = false;
        if (length > 4) {
            switch (RequestLine.check(h, lineEnd(h, 0, last))) {
                case RequestLine.Bad bad -> {
                    return bad.status() == 400 ? bad.why() : bad.status() + " " + bad.why();
                }
                case RequestLine.Good good -> http10 = good.http10();
            }
        }
        int line = nextLine(h, 0, last);
        while (line <= last) {
            int eol = lineEnd(h, line, last);
            if (eol == line) return "empty header line";
            byte first = h[line];
            if (first == ' ' || first == '\t') return "obsolete line folding (obs-fold) in header";
            int colon = -1;
            for (int k = line; k < eol; k++) {
                if (h[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon <= line) return "header line without a name and colon";
            byte beforeColon = h[colon - 1];
            if (beforeColon == ' ' || beforeColon == '\t') return "whitespace between header name and colon";
            if (nameIs(h, line, colon, CONTENT_LENGTH)) {
                contentLengths++;
                contentLength = trimmedValue(h, colon + 1, eol);
            } else if (nameIs(h, line, colon, TRANSFER_ENCODING)) {
                if (transferEncoding != null) return "more than one Transfer-Encoding header";
                transferEncoding = trimmedValue(h, colon + 1, eol);
            }
            line = eol + 2;
        }
        if (contentLengths > 1) return "more than one Content-Length header";
        if (contentLength != null && transferEncoding != null) return "both Content-Length and Transfer-Encoding";
        if (transferEncoding != null) {
            // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if (http10) return "Transfer-Encoding in an HTTP/1.0 request";
            if (!transferEncoding.equalsIgnoreCase("chunked")) return "unsupported Transfer-Encoding";
            state = State.CHUNK_SIZE;
            bodyBytes = 0;
            head.setLength(0);
            lastWasCr = false;
            return null;
        }
        if (contentLength != null) {
            if (contentLength.isEmpty() || contentLength.length() > 18 || !asciiDigits(contentLength)) {
                return "invalid Content-Length";
            }
            remaining = Long.parseLong(contentLength);
            if (remaining > settings.maxBodyBytes()) return "413 request body too large";
        } else {
            remaining = 0;
        }
        if (remaining == 0) {
            requestDone(ctx);
        } else {
            state = State.FIXED_BODY;
        }
        return null;
    }

    /** True if every character is 0-9 (for Latin-1 text the same as Character.isDigit). */
    private static boolean asciiDigits(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);

    /** Where the line after the one starting at {@code from} starts; past {@code last} if none. */
    private static int nextLine(byte[] h, int from, int last) {
        int eol = lineEnd(h, from, last);
        return eol + 2;
    }

    /** The index of the CRLF ending the line that starts at {@code from}, or {@code last} (the head's final CRLFCRLF). */
    private static int lineEnd(byte[] h, int from, int last) {
        for (int k = from; k < last; k++) {
            if (h[k] == '\r' && h[k + 1] == '\n') return k;
        }
        return last;
    }

    /** True if bytes [from, to) are {@code lowerName} in any case (ASCII letters only fold, like toLowerCase of Latin-1). */
    private static boolean nameIs(byte[] h, int from, int to, byte[] lowerName) {
        if (to - from != lowerName.length) return false;
        for (int k = 0; k < lowerName.length; k++) {
            int c = h[from + k];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lowerName[k]) return false;
        }
        return true;
    }

    /** Bytes [from, to) as Latin-1 text without leading and trailing characters up to space, as String.trim does. */
    private static String trimmedValue(byte[] h, int from, int to) {
        while (from < to && (h[from] & 0xff) <= ' ') from++;
        while (to > from && (h[to - 1] & 0xff) <= ' ') to--;
        return new String(h, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private String chunkSizeByte(byte b) {
        if (head.length() > 1024) return "malformed chunk: size line too long";
        if (b == '\n') {
            if (!lastWasCr) return "malformed chunk: bare LF";
            String line = head.toString();
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return "malformed chunk size";
            }
            remaining = Long.parseLong(hex, 16);
            bodyBytes += remaining;
            if (bodyBytes > settings.maxBodyBytes()) return "413 request body too large";
            head.setLength(0);
            lastWasCr = false;
            state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            lineLength = 0;
            return null;
        }
        if (lastWasCr) return "malformed chunk: CR without LF";
        if (b == '\r') {
            lastWasCr = true;
        } else {
            head.append((char) (b & 0xff));
        }
        return null;
    }

    /** Trailer section after the last chunk: lines until an empty one. */
    private String trailerByte(ChannelHandlerContext ctx, byte b) {
        if (head.length() > settings.maxHeadBytes()) return "431 trailers too large";
        if (b == '\n') {
            if (!lastWasCr) return "malformed chunk: bare LF";
            lastWasCr = false;
            if (head.isEmpty()) {
                requestDone(ctx);
            } else {
                char first = head.charAt(0);
                if (first == ' ' || first == '\t') return "obsolete line folding (obs-fold) in trailer";
                head.setLength(0);
            }
            return null;
        }
        if (lastWasCr) return "malformed chunk: CR without LF";
        if (b == '\r') lastWasCr = true;
        else head.append((char) (b & 0xff));
        return null;
    }

    private void requestDone(ChannelHandlerContext ctx) {
        state = State.IDLE;
        requestDeadline = 0;
        armIdle(ctx, settings.idleTimeoutMillis());
    }

    /** A response going out restarts the idle clock: waiting for the upstream is not idleness. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.IDLE && !failed) armIdle(ctx, settings.idleTimeoutMillis());
        ctx.write(msg, promise);
    }

    private void armRequestTimer(ChannelHandlerContext ctx) {
        if (settings.requestTimeoutMillis() <= 0) return;
        requestDeadline = ctx.executor().ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis());
        if (requestTimer == null) requestTimer = scheduleRequestTimer(ctx, settings.requestTimeoutMillis() * 1_000_000);
    }

    private ScheduledFuture<?> scheduleRequestTimer(ChannelHandlerContext ctx, long delayNanos) {
        return ctx.executor().schedule(() -> {
            requestTimer = null;
            if (requestDeadline == 0 || failed) return;
            long left = requestDeadline - ctx.executor().ticker().nanoTime();
            if (left > 0) {
                requestTimer = scheduleRequestTimer(ctx, left);
            } else {
                reject(ctx, 408, "the request did not arrive in time");
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes the connection if it is still idle {@code millis} from now. The timer task, once
     * scheduled, keeps its time; a later deadline makes it reschedule itself when it fires, so
     * the first deadline armed must be the shortest: the first-byte one, before any idle one.
     */
    private void armIdle(ChannelHandlerContext ctx, long millis) {
        if (millis <= 0) return;
        idleDeadline = ctx.executor().ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (idleTimer == null) idleTimer = scheduleIdleTimer(ctx, millis * 1_000_000);
    }

    private ScheduledFuture<?> scheduleIdleTimer(ChannelHandlerContext ctx, long delayNanos) {
        return ctx.executor().schedule(() -> {
            idleTimer = null;
            if (idleDeadline == 0 || failed) return;
            long left = idleDeadline - ctx.executor().ticker().nanoTime();
            if (left > 0) {
                idleTimer = scheduleIdleTimer(ctx, left);
            } else if (state == State.IDLE) {
                ctx.close();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Disarms both timers for good (the connection is done). */
    private void cancelTimers() {
        requestDeadline = 0;
        idleDeadline = 0;
        if (requestTimer != null) requestTimer.cancel(false);
        if (idleTimer != null) idleTimer.cancel(false);
        requestTimer = null;
        idleTimer = null;
    }

    /** Answers with a plain HTTP error on the raw connection, then closes it. */
    private void reject(ChannelHandlerContext ctx, int status, String why) {
        if (failed) return;
        failed = true;
        cancelTimers();
        String reason = switch (status) {
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> "Bad Request";
        };
        byte[] body = ("weir refused the request: " + why + "\n").getBytes(StandardCharsets.US_ASCII);
        String response = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf out = Unpooled.buffer(response.length() + body.length);
        out.writeBytes(response.getBytes(StandardCharsets.US_ASCII)).writeBytes(body);
        ctx.channel().config().setAutoRead(true);
        ctx.writeAndFlush(out).addListener(f -> lingeringClose(ctx));
    }

    /**
     * Half-closes our side and discards what the client still sends for a moment before
     * closing: closing a socket with unread input makes the kernel send a reset, which would
     * destroy the error response before the client reads it.
     */
    private static void lingeringClose(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput().addListener(f -> ctx.executor().schedule(() -> {
                ctx.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS));
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimers();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimers();
    }
}
