package dev.weir.proxy.upstream;

import dev.weir.protocol.wire.Crc32;
import dev.weir.proxy.http.BodyBytes;
import dev.weir.proxy.http.HeadBytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.weir.proxy.http.HeadBytes.lineEnd;
import static dev.weir.proxy.http.HeadBytes.nameIs;
import static dev.weir.proxy.http.HeadBytes.tchar;
import static dev.weir.proxy.http.HeadBytes.latin1;

/**
 * Reads the store's answers on one upstream connection, in place, strictly: the status line
 * ({@code HTTP/1.1} or {@code HTTP/1.0}, three digits), header lines ({@code name: value},
 * CRLF, a token for a name, no control byte in a value), and a body framed by one
 * {@code Content-Length}, by {@code Transfer-Encoding: chunked} (foreign stores may send it), or
 * by the connection's close when it has neither. Interim {@code 1xx} answers are skipped;
 * {@code 204} and {@code 304} have no body. Each complete answer goes on as one
 * {@link FramedResponse}; every buffer read is copied and released here.
 *
 * <p>An answer that breaks a rule (bare LF, obs-fold, two lengths, a length with chunked,
 * another coding, a bad chunk, a head over {@link #MAX_HEAD_BYTES}, a body over the limit) is
 * never handed on: it goes on as an {@link IOException} through {@code exceptionCaught}, and
 * what else comes on the connection is dropped, so the exchange fails as any upstream failure
 * does and the connection is closed. A store's answer is not a client's request, but weir reads
 * it as strictly: a lenient reading of an answer could pair one exchange's bytes with another's.
 */
final class ResponseFramer extends ChannelInboundHandlerAdapter {
    /** The largest answer head (status line and headers) read. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_LINE = 1024;
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] CRC32 = bytes(Crc32.HEADER.toLowerCase(java.util.Locale.ROOT));
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");
    private static final byte[] CHUNKED = bytes("chunked");

    private enum State { HEAD, FIXED_BODY, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

    private final int maxBodyBytes;
    private State state = State.HEAD;
    /** The most of a read copied into the head at a time (a store's answer head is some 150-300 bytes). */
    private static final int HEAD_STEP = 512;
    private byte[] head = new byte[HEAD_STEP];
    private int headLength;
    /** Whether the head so far has an LF without a CR before it (noted as its bytes are searched for the blank line). */
    private boolean bareLf;
    /** A chunk-size or trailer line so far. */
    private final StringBuilder line = new StringBuilder(32);
    private boolean lastWasCr;
    private long remaining;
    /** Sized to the declared length at once: the store is trusted, and its length is checked against the limit first. */
    private final BodyBytes body = BodyBytes.sizedToDeclared();
    private int status;
    private String crc32;
    private boolean keepAlive;
    private boolean failed;

    ResponseFramer(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failed) return;
            String problem = scan(ctx, buf);
            if (problem != null) {
                failed = true;
                ctx.fireExceptionCaught(new IOException("malformed answer from the upstream store: " + problem));
            }
        } finally {
            buf.release();
        }
    }

    /** The connection closed: an answer delimited by the close is complete now; any other cut short is not handed on. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!failed && state == State.UNTIL_CLOSE) done(ctx);
        super.channelInactive(ctx);
    }

    private String scan(ChannelHandlerContext ctx, ByteBuf buf) {
        int i = buf.readerIndex(), end = buf.writerIndex();
        while (i < end && !failed) {
            switch (state) {
                case HEAD -> {
                    // A step at a time, not the whole read: the body that follows the head is not copied here too.
                    int n = Math.min(Math.min(end - i, HEAD_STEP), MAX_HEAD_BYTES - headLength);
                    if (n == 0) return "head too large";
                    if (headLength + n > head.length) {
                        head = Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, Math.max(headLength + n, head.length * 2)));
                    }
                    buf.getBytes(i, head, headLength, n);
                    // One pass finds the blank line and notes an LF without its CR (refused once the head is complete).
                    int endOfHead = -1;
                    for (int j = HeadBytes.indexOfLf(head, headLength, headLength + n), to = headLength + n; j >= 0;
                            j = HeadBytes.indexOfLf(head, j + 1, to)) {
                        if (j == 0 || head[j - 1] != '\r') {
                            bareLf = true;
                        } else if (j >= 3 && head[j - 2] == '\n' && head[j - 3] == '\r') {
                            endOfHead = j + 1;
                            break;
                        }
                    }
                    if (endOfHead < 0) {
                        i += n;
                        headLength += n;
                    } else {
                        i += endOfHead - headLength;
                        headLength = endOfHead;
                        String problem = readHead(ctx);
                        if (problem != null) return problem;
                    }
                }
                case FIXED_BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    body.append(buf, i, n, state == State.FIXED_BODY ? body.length() + remaining : Long.MAX_VALUE);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.FIXED_BODY) {
                            done(ctx);
                        } else {
                            state = State.CHUNK_DATA_END;
                            lastWasCr = false;
                        }
                    }
                }
                case UNTIL_CLOSE -> {
                    int n = end - i;
                    if ((long) body.length() + n > maxBodyBytes) return "body over " + maxBodyBytes + " bytes";
                    body.append(buf, i, n, Long.MAX_VALUE);
                    i += n;
                }
                case CHUNK_DATA_END -> {
                    byte b = buf.getByte(i++);
                    if (!lastWasCr && b == '\r') {
                        lastWasCr = true;
                    } else if (lastWasCr && b == '\n') {
                        state = State.CHUNK_SIZE;
                        line.setLength(0);
                        lastWasCr = false;
                    } else {
                        return "chunk data longer than its size";
                    }
                }
                case CHUNK_SIZE, TRAILERS -> {
                    byte b = buf.getByte(i++);
                    String problem = lineByte(ctx, b);
                    if (problem != null) return problem;
                }
            }
        }
        return null;
    }

    /** Reads a complete head: status line, headers; decides how the body is framed. */
    private String readHead(ChannelHandlerContext ctx) {
        byte[] h = head;
        int last = headLength - 4;
        if (bareLf) return "bare LF";
        int eol = lineEnd(h, 0, last);
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (eol < 12 || !startsWith(h, "HTTP/1.") || (h[7] != '1' && h[7] != '0') || h[8] != ' '
                || !digit(h[9]) || !digit(h[10]) || !digit(h[11]) || (eol > 12 && h[12] != ' ')) {
            return "malformed status line";
        }
        for (int k = 13; k < eol; k++) if (control(h[k]) && h[k] != '\t') return "control byte in the status line";
        boolean http10 = h[7] == '0';
        status = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
        crc32 = null;
        // Where the Content-Length and Transfer-Encoding values are (from at -1: none), read on the bytes.
        int lengthFrom = -1, lengthTo = -1, codingFrom = -1, codingTo = -1;
        boolean close = false, keepAliveAsked = false;
        int at = eol + 2;
        while (at <= last) {
            // The common line in one pass; any other is read check by check, each refusal as before.
            long plain = HeadBytes.plainLine(h, at);
            int e, colon;
            if (plain >= 0) {
                colon = (int) (plain >>> 32);
                e = (int) plain;
            } else {
                e = lineEnd(h, at, last);
                if (e == at) return "empty header line";
                if (h[at] == ' ' || h[at] == '\t') return "obs-fold";
                colon = at;
                while (colon < e && h[colon] != ':') {
                    if (!tchar(h[colon])) return "malformed header name";
                    colon++;
                }
                if (colon == e || colon == at) return "header line without a name and colon";
                for (int k = colon + 1; k < e; k++) if (control(h[k]) && h[k] != '\t') return "control byte in a header value";
            }
            int from = colon + 1, to = e;
            while (from < to && (h[from] == ' ' || h[from] == '\t')) from++;
            while (to > from && (h[to - 1] == ' ' || h[to - 1] == '\t')) to--;
            if (nameIs(h, at, colon, CONTENT_LENGTH)) {
                if (lengthFrom >= 0) return "more than one Content-Length";
                lengthFrom = from;
                lengthTo = to;
            } else if (nameIs(h, at, colon, TRANSFER_ENCODING)) {
                if (codingFrom >= 0) return "more than one Transfer-Encoding";
                codingFrom = from;
                codingTo = to;
            } else if (nameIs(h, at, colon, CONNECTION)) {
                close |= HeadBytes.hasToken(h, from, to, CLOSE);
                keepAliveAsked |= HeadBytes.hasToken(h, from, to, KEEP_ALIVE);
            } else if (nameIs(h, at, colon, CRC32) && crc32 == null) {
                crc32 = latin1(h, from, to);
            }
            at = e + 2;
        }
        boolean lengthGiven = lengthFrom >= 0, chunkedOrOther = codingFrom >= 0;
        // Content-Length: digits only (checked before the head buffer is reused below).
        long declared = lengthGiven ? HeadBytes.decimal(h, lengthFrom, lengthTo) : -1;
        boolean chunked = chunkedOrOther && nameIs(h, codingFrom, codingTo, CHUNKED);
        headLength = 0;
        bareLf = false;
        if (status == 101) return "an upgrade weir did not ask for";
        if (status < 200) {
            // An interim answer: the final one follows.
            if (lengthGiven || chunkedOrOther) return "an interim answer with a body";
            return null;
        }
        keepAlive = !close && (!http10 || keepAliveAsked);
        body.start(0);
        if (lengthGiven && chunkedOrOther) return "both Content-Length and Transfer-Encoding";
        if (status == 204 || status == 304) {
            if (chunkedOrOther || (lengthGiven && !(lengthTo - lengthFrom == 1 && h[lengthFrom] == '0'))) return "a body on a " + status;
            done(ctx);
            return null;
        }
        if (chunkedOrOther) {
            if (http10 || !chunked) return "unsupported Transfer-Encoding";
            state = State.CHUNK_SIZE;
            line.setLength(0);
            lastWasCr = false;
            return null;
        }
        if (!lengthGiven) {
            keepAlive = false;
            state = State.UNTIL_CLOSE;
            return null;
        }
        if (declared < 0) return "invalid Content-Length";
        remaining = declared;
        if (remaining > maxBodyBytes) return "body over " + maxBodyBytes + " bytes";
        if (remaining == 0) {
            done(ctx);
        } else {
            body.start(remaining);
            state = State.FIXED_BODY;
        }
        return null;
    }

    /** A byte of a chunk-size line or of the trailer section. */
    private String lineByte(ChannelHandlerContext ctx, byte b) {
        if (line.length() > (state == State.CHUNK_SIZE ? MAX_LINE : MAX_HEAD_BYTES)) return "chunk line too long";
        if (b == '\n') {
            if (!lastWasCr) return "bare LF in a chunk";
            lastWasCr = false;
            if (state == State.TRAILERS) {
                if (line.isEmpty()) {
                    done(ctx);
                } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    return "obs-fold in a trailer";
                }
                line.setLength(0);
                return null;
            }
            int semi = line.indexOf(";");
            String hex = (semi < 0 ? line.toString() : line.substring(0, semi)).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return "malformed chunk size";
            }
            remaining = Long.parseLong(hex, 16);
            if (body.length() + remaining > maxBodyBytes) return "body over " + maxBodyBytes + " bytes";
            line.setLength(0);
            state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            return null;
        }
        if (lastWasCr) return "CR without LF in a chunk";
        if (b == '\r') lastWasCr = true;
        else line.append((char) (b & 0xff));
        return null;
    }

    /** The answer is complete: it goes on, and the next one's head is read. */
    private void done(ChannelHandlerContext ctx) {
        FramedResponse response = new FramedResponse(new UpstreamResponse(status, crc32, body.take()), keepAlive);
        state = State.HEAD;
        headLength = 0;
        bareLf = false;
        ctx.fireChannelRead(response);
    }

    private static boolean startsWith(byte[] h, String prefix) {
        for (int k = 0; k < prefix.length(); k++) if (h[k] != prefix.charAt(k)) return false;
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean control(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7f;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
