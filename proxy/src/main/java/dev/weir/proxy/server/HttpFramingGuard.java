package dev.weir.proxy.server;

import dev.weir.proxy.http.BodyBytes;
import dev.weir.proxy.http.HeadBytes;
import dev.weir.proxy.server.FramedRequest.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.weir.proxy.http.HeadBytes.lineEnd;
import static dev.weir.proxy.http.HeadBytes.nameIs;
import static dev.weir.proxy.http.HeadBytes.latin1;
import static dev.weir.proxy.http.HeadBytes.tchar;

/**
 * The one HTTP/1.1 request parser: strict framing on the raw bytes, so that a request two
 * parsers could read differently (request smuggling) never reaches the firewall, let alone
 * the store, and no second parser reads the bytes after it. It follows each request's
 * boundaries and refuses, with 400 and a closed
 * connection: obs-fold header lines, bare LF line ends, a header without a colon or with
 * space before it, a header name that is not a token, a control byte in a header value,
 * more than one Content-Length (even equal ones), Content-Length together
 * with Transfer-Encoding, any Transfer-Encoding but {@code chunked}, and malformed chunks.
 * The request line must be exactly {@code METHOD SP target SP HTTP/1.1} (or HTTP/1.0,
 * without Transfer-Encoding): {@link RequestLine}; another version is a 505. It also enforces
 * the head and body size limits (431, 413: refused before the body is read), a request that
 * does not arrive in time (408), a new connection that sends nothing within the first-byte
 * timeout and idle connections (both closed). An {@code Expect: 100-continue} is answered
 * with {@code 100 Continue} when the head is read (as Netty's aggregator did); any other
 * expectation is a 417 and a closed connection.
 *
 * <p>A request that is complete and good goes on as one {@link FramedRequest}, built from the
 * head bytes the checks already held and the body bytes (de-chunked); nothing else goes
 * downstream, and every buffer read is released here. The requests completed by one read go
 * on only once the whole read is known to be good: a read that ends in a refusal hands on
 * none of them, so the refusal is the only answer written, never one ahead of theirs.
 */
final class HttpFramingGuard extends ChannelDuplexHandler {
    /**
     * Timeouts and limits; a zero timeout disables it.
     *
     * @param firstByteTimeoutMillis how long a new connection may stay silent before its first
     *                               byte (after TLS, its first byte of HTTP); shorter than idle,
     *                               so that connections that never send hold a slot briefly
     */
    record Settings(int maxHeadBytes, long maxBodyBytes, long requestTimeoutMillis, long idleTimeoutMillis,
                    long firstByteTimeoutMillis) {}

    private enum State { IDLE, HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

    private static final long LINGER_MILLIS = 2_000;

    private final Settings settings;
    private State state = State.IDLE;
    /** The most of a read copied into the head at a time (a signed request's head is some 700-1,000 bytes). */
    private static final int HEAD_STEP = 1024;
    /** The request head as it arrives (bytes, bulk-copied a step at a time), grown up to the head limit. */
    private byte[] headBytes = new byte[HEAD_STEP];
    private int headLength;
    /** Whether the head so far has an LF without a CR before it (noted as its bytes are searched for the blank line). */
    private boolean bareLf;
    /** The current chunk-size or trailer line. */
    private final StringBuilder head = new StringBuilder(64);
    private long remaining;
    private long bodyBytes;
    private int lineLength;
    private boolean lastWasCr;
    private boolean failed;
    /** The request whose head is read and whose body is being read (fields of the message to come). */
    private String method, rawPath, rawQuery;
    private Headers headers;
    private boolean keepAlive, lengthGiven;
    /** The body so far: grown as bytes arrive, never beyond what came (a declared length is only a cap). */
    private final BodyBytes body = new BodyBytes();
    /** Requests handed on whose answers are not written yet ({@link InOrder#ANSWERED} counts them down). */
    private int unanswered;
    /** A refusal made while {@link #unanswered} requests were still served: written once they are answered. */
    private ByteBuf heldRefusal;
    /** Requests completed by the read being scanned; they go on once the read is known to be good. */
    private final List<FramedRequest> ready = new ArrayList<>(2);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
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

    HttpFramingGuard(Settings settings) {
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
        String problem;
        try {
            problem = scan(ctx, buf);
        } finally {
            buf.release();
        }
        if (problem != null) {
            ready.clear();
            boolean coded = problem.length() > 4 && Character.isDigit(problem.charAt(0)) && problem.charAt(3) == ' ';
            reject(ctx, coded ? Integer.parseInt(problem.substring(0, 3)) : 400, coded ? problem.substring(4) : problem);
            return;
        }
        if (ready.isEmpty()) return;
        if (ready.size() == 1) {
            // The usual read: one request, handed on without copying the list (cleared first, as
            // handing on may bring the next read in before this returns).
            FramedRequest only = ready.getFirst();
            ready.clear();
            unanswered++;
            ctx.fireChannelRead(only);
            return;
        }
        FramedRequest[] good = ready.toArray(new FramedRequest[0]);
        ready.clear();
        unanswered += good.length;
        for (FramedRequest request : good) ctx.fireChannelRead(request);
    }

    /**
     * {@link InOrder} says an answer to one of the requests handed on was written: when none is
     * left unanswered, a refusal held back meanwhile goes out.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt != InOrder.ANSWERED) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        if (unanswered > 0) unanswered--;
        if (unanswered == 0 && heldRefusal != null) {
            ByteBuf out = heldRefusal;
            heldRefusal = null;
            writeRefusal(ctx, out);
        }
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
                    bareLf = false;
                    lastWasCr = false;
                    state = State.HEAD;
                }
                case HEAD -> {
                    // Copy a step of what fits under the limit, then look for the blank line that ends the
                    // head: a step, not the whole read, so the body that follows is not copied here too.
                    int n = Math.min(Math.min(end - i, HEAD_STEP), settings.maxHeadBytes() - headLength);
                    if (n == 0) return "431 request head too large";
                    if (headLength + n > headBytes.length) {
                        headBytes = java.util.Arrays.copyOf(headBytes, Math.min(settings.maxHeadBytes(),
                                Math.max(headLength + n, headBytes.length * 2)));
                    }
                    buf.getBytes(i, headBytes, headLength, n);
                    // One pass finds the blank line and notes an LF without its CR (refused once the head is complete).
                    int to = headLength + n;
                    int endOfHead = -1;
                    for (int j = HeadBytes.indexOfLf(headBytes, headLength, to); j >= 0;
                            j = HeadBytes.indexOfLf(headBytes, j + 1, to)) {
                        if (j == 0 || headBytes[j - 1] != '\r') {
                            bareLf = true;
                        } else if (j >= 3 && headBytes[j - 2] == '\n' && headBytes[j - 3] == '\r') {
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
                    body.append(buf, i, n, body.length() + remaining);
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
                    body.append(buf, i, n, Long.MAX_VALUE);
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

    /**
     * Validates a complete request head, reads its request line and headers into the fields
     * of the request to come, and decides how its body is framed.
     */
    private String checkHead(ChannelHandlerContext ctx) {
        byte[] h = headBytes;
        int length = headLength;
        if (bareLf) return "bare LF in the request head";
        int contentLengths = 0, lengthFrom = 0, lengthTo = 0;
        String contentLength = null, transferEncoding = null;
        // Header lines are separated by CRLF (a lone CR stays inside its line); the head ends
        // with the blank line's CRLFCRLF, and the first line is the request line. A head that
        // is only that blank line is an empty line before a request, which is skipped.
        int last = length - 4;
        if (length == 4) {
            framed(ctx);
            return null;
        }
        int lineEnd = lineEnd(h, 0, last);
        boolean http10;
        switch (RequestLine.check(h, lineEnd)) {
            case RequestLine.Bad bad -> {
                return bad.status() == 400 ? bad.why() : bad.status() + " " + bad.why();
            }
            case RequestLine.Good good -> http10 = good.http10();
        }
        int sp1 = indexOf(h, (byte) ' ', 0, lineEnd), sp2 = indexOf(h, (byte) ' ', sp1 + 1, lineEnd);
        method = HeadBytes.requestLinePart(h, 0, sp1);
        int q = indexOf(h, (byte) '?', sp1 + 1, sp2);
        rawPath = HeadBytes.requestLinePart(h, sp1 + 1, (q < 0 ? sp2 : q));
        rawQuery = q < 0 ? "" : latin1(h, q + 1, sp2);
        headers = new Headers();
        boolean close = false, keepAliveAsked = false, continueExpected = false;
        String otherExpectation = null;
        int line = lineEnd + 2;
        while (line <= last) {
            // The common line in one pass; any other is read check by check, each refusal as before.
            long plain = HeadBytes.plainLine(h, line);
            int eol, colon;
            if (plain >= 0) {
                colon = (int) (plain >>> 32);
                eol = (int) plain;
            } else {
                eol = lineEnd(h, line, last);
                if (eol == line) return "empty header line";
                byte first = h[line];
                if (first == ' ' || first == '\t') return "obsolete line folding (obs-fold) in header";
                colon = -1;
                for (int k = line; k < eol; k++) {
                    if (h[k] == ':') {
                        colon = k;
                        break;
                    }
                }
                if (colon <= line) return "header line without a name and colon";
                byte beforeColon = h[colon - 1];
                if (beforeColon == ' ' || beforeColon == '\t') return "whitespace between header name and colon";
                for (int k = line; k < colon; k++) if (!tchar(h[k])) return "invalid character in a header name";
                for (int k = colon + 1; k < eol; k++) {
                    int c = h[k] & 0xff;
                    if ((c < 0x20 && c != '\t') || c == 0x7f) return "control character in a header value";
                }
            }
            int from = colon + 1, to = eol;
            while (from < to && (h[from] == ' ' || h[from] == '\t')) from++;
            while (to > from && (h[to - 1] == ' ' || h[to - 1] == '\t')) to--;
            String value = HeadBytes.value(h, from, to);
            if (nameIs(h, line, colon, CONTENT_LENGTH)) {
                contentLengths++;
                contentLength = value;
                lengthFrom = from;
                lengthTo = to;
            } else if (nameIs(h, line, colon, TRANSFER_ENCODING)) {
                if (transferEncoding != null) return "more than one Transfer-Encoding header";
                transferEncoding = value;
                line = eol + 2;
                continue; // not handed on: the body goes on de-chunked, with its length (below)
            } else if (nameIs(h, line, colon, CONNECTION)) {
                close |= HeadBytes.hasToken(h, from, to, CLOSE);
                keepAliveAsked |= HeadBytes.hasToken(h, from, to, KEEP_ALIVE);
            } else if (nameIs(h, line, colon, EXPECT) && !http10) {
                if (value.equalsIgnoreCase("100-continue")) continueExpected = true;
                else if (otherExpectation == null) otherExpectation = value;
                line = eol + 2;
                continue; // answered here, not handed on
            }
            headers.append(Map.entry(HeadBytes.name(h, line, colon), value));
            line = eol + 2;
        }
        if (contentLengths > 1) return "more than one Content-Length header";
        if (contentLength != null && transferEncoding != null) return "both Content-Length and Transfer-Encoding";
        keepAlive = !close && (!http10 || keepAliveAsked);
        if (transferEncoding != null) {
            // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if (http10) return "Transfer-Encoding in an HTTP/1.0 request";
            if (!transferEncoding.equalsIgnoreCase("chunked")) return "unsupported Transfer-Encoding";
            if (otherExpectation != null) return "417 unsupported expectation";
            if (continueExpected) ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
            lengthGiven = false;
            body.start(0);
            state = State.CHUNK_SIZE;
            bodyBytes = 0;
            head.setLength(0);
            lastWasCr = false;
            return null;
        }
        lengthGiven = contentLength != null;
        if (contentLength != null) {
            remaining = HeadBytes.decimal(h, lengthFrom, lengthTo);
            if (remaining < 0) return "invalid Content-Length";
            if (remaining > settings.maxBodyBytes()) return "413 request body too large";
        } else {
            remaining = 0;
        }
        if (otherExpectation != null) return "417 unsupported expectation";
        if (continueExpected) ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
        body.start(remaining);
        if (remaining == 0) {
            requestDone(ctx);
        } else {
            state = State.FIXED_BODY;
        }
        return null;
    }

    private static int indexOf(byte[] h, byte b, int from, int to) {
        for (int k = from; k < to; k++) if (h[k] == b) return k;
        return -1;
    }

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPECT = "expect".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);

    /** Where the line after the one starting at {@code from} starts; past {@code last} if none. */
    private static int nextLine(byte[] h, int from, int last) {
        int eol = lineEnd(h, from, last);
        return eol + 2;
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
        if (!lengthGiven) headers.append(Map.entry("content-length", Integer.toString(body.length())));
        ready.add(new FramedRequest(method, rawPath, rawQuery, headers, body.take(), keepAlive));
        headers = null;
        framed(ctx);
    }

    /** The bytes of a request (or of an empty line before one) are all read: idle until the next. */
    private void framed(ChannelHandlerContext ctx) {
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
            } else if (unanswered > 0) {
                armIdle(ctx, settings.idleTimeoutMillis());  // not idle: a request is being served
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
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> "Bad Request";
        };
        byte[] body = ("weir refused the request: " + why + "\n").getBytes(StandardCharsets.US_ASCII);
        String response = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf out = Unpooled.buffer(response.length() + body.length);
        out.writeBytes(response.getBytes(StandardCharsets.US_ASCII)).writeBytes(body);
        if (unanswered > 0) {
            // A request handed on earlier is still being served: its answer goes first (HTTP's
            // order; behind a gateway another principal's), this refusal once it is written.
            heldRefusal = out;
            return;
        }
        writeRefusal(ctx, out);
    }

    private void writeRefusal(ChannelHandlerContext ctx, ByteBuf out) {
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
        releaseHeldRefusal();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimers();
        releaseHeldRefusal();
    }

    private void releaseHeldRefusal() {
        if (heldRefusal != null) {
            heldRefusal.release();
            heldRefusal = null;
        }
    }
}
