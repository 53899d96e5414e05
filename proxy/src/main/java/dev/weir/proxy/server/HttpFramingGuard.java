package dev.weir.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Strict HTTP/1.1 framing in front of Netty's decoder, so that a request two parsers could
 * read differently (request smuggling) never reaches the firewall, let alone the store. It
 * follows each request's boundaries on the raw bytes and refuses, with 400 and a closed
 * connection: obs-fold header lines, bare LF line ends, a header without a colon or with
 * space before it, more than one Content-Length (even equal ones), Content-Length together
 * with Transfer-Encoding, any Transfer-Encoding but {@code chunked}, and malformed chunks.
 * It also enforces the head and body size limits (431, 413: refused before the body is
 * read), a request that does not arrive in time (408), and idle connections (closed). Bytes pass through unchanged once they are known to be good.
 */
final class HttpFramingGuard extends ChannelDuplexHandler {
    /** Timeouts and limits; a zero timeout disables it. */
    record Settings(int maxHeadBytes, long maxBodyBytes, long requestTimeoutMillis, long idleTimeoutMillis) {}

    private enum State { IDLE, HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

    private static final long LINGER_MILLIS = 2_000;

    private final Settings settings;
    private State state = State.IDLE;
    private final StringBuilder head = new StringBuilder(512);
    private long remaining;
    private long bodyBytes;
    private int lineLength;
    private boolean lastWasCr;
    private boolean failed;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> idleTimer;

    HttpFramingGuard(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armIdle(ctx);
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
                    cancel(idleTimer);
                    armRequestTimer(ctx);
                    head.setLength(0);
                    lastWasCr = false;
                    state = State.HEAD;
                }
                case HEAD -> {
                    byte b = buf.getByte(i++);
                    if (head.length() >= settings.maxHeadBytes()) return "431 request head too large";
                    head.append((char) (b & 0xff));
                    if (b == '\n' && head.length() >= 4 && head.charAt(head.length() - 2) == '\r'
                            && head.charAt(head.length() - 3) == '\n' && head.charAt(head.length() - 4) == '\r') {
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
        String text = head.toString();
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) == '\n' && (k == 0 || text.charAt(k - 1) != '\r')) return "bare LF in the request head";
        }
        int contentLengths = 0;
        String contentLength = null, transferEncoding = null;
        for (int k = 1; k < lines.length; k++) {
            String line = lines[k];
            if (line.isEmpty()) return "empty header line";
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') return "obsolete line folding (obs-fold) in header";
            int colon = line.indexOf(':');
            if (colon <= 0) return "header line without a name and colon";
            char beforeColon = line.charAt(colon - 1);
            if (beforeColon == ' ' || beforeColon == '\t') return "whitespace between header name and colon";
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLengths++;
                contentLength = value;
            } else if (name.equals("transfer-encoding")) {
                if (transferEncoding != null) return "more than one Transfer-Encoding header";
                transferEncoding = value;
            }
        }
        if (contentLengths > 1) return "more than one Content-Length header";
        if (contentLength != null && transferEncoding != null) return "both Content-Length and Transfer-Encoding";
        if (transferEncoding != null) {
            if (!transferEncoding.equalsIgnoreCase("chunked")) return "unsupported Transfer-Encoding";
            state = State.CHUNK_SIZE;
            bodyBytes = 0;
            head.setLength(0);
            lastWasCr = false;
            return null;
        }
        if (contentLength != null) {
            if (contentLength.isEmpty() || contentLength.length() > 18 || !contentLength.chars().allMatch(Character::isDigit)) {
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
        cancel(requestTimer);
        armIdle(ctx);
    }

    /** A response going out restarts the idle clock: waiting for the upstream is not idleness. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.IDLE && !failed) armIdle(ctx);
        ctx.write(msg, promise);
    }

    private void armRequestTimer(ChannelHandlerContext ctx) {
        cancel(requestTimer);
        if (settings.requestTimeoutMillis() > 0) {
            requestTimer = ctx.executor().schedule(() -> reject(ctx, 408, "the request did not arrive in time"),
                    settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void armIdle(ChannelHandlerContext ctx) {
        cancel(idleTimer);
        if (settings.idleTimeoutMillis() > 0) {
            idleTimer = ctx.executor().schedule(() -> {
                if (state == State.IDLE) ctx.close();
            }, settings.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) f.cancel(false);
    }

    /** Answers with a plain HTTP error on the raw connection, then closes it. */
    private void reject(ChannelHandlerContext ctx, int status, String why) {
        if (failed) return;
        failed = true;
        cancel(requestTimer);
        cancel(idleTimer);
        String reason = switch (status) {
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
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
        cancel(requestTimer);
        cancel(idleTimer);
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel(requestTimer);
        cancel(idleTimer);
    }
}
