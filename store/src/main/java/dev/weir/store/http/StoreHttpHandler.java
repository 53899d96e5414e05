package dev.weir.store.http;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.http.ContentCoding;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.wire.Cors;
import dev.weir.protocol.wire.Crc32;
import dev.weir.protocol.wire.Target;
import dev.weir.store.api.ApiResponse;
import dev.weir.store.api.RequestDispatcher;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests: a cheap read is first tried right here, from memory only
 * ({@link RequestDispatcher#dispatchInline}); any other request, or one whose data is not in
 * memory, is handed to the reader or writer pool ({@link RequestDispatcher#lane}) and its
 * response written back on the event loop. {@code GET} is a health check, {@code OPTIONS} from
 * an origin a CORS preflight, any other method or a body whose content type is not DynamoDB's
 * JSON DynamoDB's 404 {@code <UnknownOperationException/>}; a {@code POST} is an API call,
 * answered with its operation's result only when it is signed with the store's
 * credentials ({@link RequestSignatures}; the signature is checked where the request runs, on
 * the event loop for an inline read, else on the worker; for a compressed body first of all,
 * here, so nothing is inflated for a caller without the store's key pair). Requests of a connection are answered one at a time, in order
 * (HTTP/1.1 pipelining stays correct), and reading pauses while requests wait, so a fast
 * client cannot queue work without bound. Nothing here blocks the event loop.
 */
final class StoreHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(StoreHttpHandler.class);
    private static final byte[] HEALTHY = "healthy: dynamodb.us-east-1.amazonaws.com ".getBytes(StandardCharsets.US_ASCII);
    private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    private static final byte[] NOT_FOUND = "<UnknownOperationException/>\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * A request waiting for its answer: {@code request} holds the bytes as sent (the signature
     * covers them), {@code body} the same decoded ({@link RequestBodies}), or null when the
     * request is answered without its operation: {@code refusal} is then the answer (the
     * signature's error, or DynamoDB's 500 for a body that is not its coding); {@code signed}
     * whether the signature was already found to hold (a compressed body's, checked before it
     * was inflated), so it is not verified again; {@code responseType} is the content type to
     * answer with, {@code coding} the one a large answer goes in.
     */
    private record Pending(String target, String contentType, HttpRequestView request, byte[] body, DynamoError refusal,
                           boolean signed, String responseType, ContentCoding coding, boolean fromOrigin, boolean keepAlive) {}

    private final RequestDispatcher dispatcher;
    private final RequestSignatures signatures;
    private final Executor readers;
    private final Executor writers;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean busy;

    StoreHttpHandler(RequestDispatcher dispatcher, RequestSignatures signatures, Executor readers, Executor writers) {
        this.dispatcher = dispatcher;
        this.signatures = signatures;
        this.readers = readers;
        this.writers = writers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", new byte[0], false, false);
            return;
        }
        boolean fromOrigin = request.headers().contains(HttpHeaderNames.ORIGIN);
        if (request.method().equals(HttpMethod.OPTIONS) && fromOrigin) {
            FullHttpResponse response = response(HttpResponseStatus.OK, null, new byte[0], false);
            Cors.preflight(request.headers().get(HttpHeaderNames.ORIGIN),
                    request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD),
                    request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))
                    .forEach(h -> response.headers().set(h.getKey(), h.getValue()));
            write(ctx, response, keepAlive);
            return;
        }
        if (request.method().equals(HttpMethod.GET)) {
            send(ctx, HttpResponseStatus.OK, "text/plain", HEALTHY, fromOrigin, keepAlive);
            return;
        }
        String contentType = mediaType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        boolean json = contentType.equals(Target.CONTENT_TYPE) || contentType.equals("application/json");
        if (!request.method().equals(HttpMethod.POST) || (request.content().isReadable() && !json)) {
            // DynamoDB's answer to anything that is not a JSON call: not even a JSON body
            write(ctx, notFound(fromOrigin), keepAlive);
            return;
        }
        HttpRequestView view = view(request);
        byte[] body = view.body();
        DynamoError refusal = null;
        boolean signed = false;
        String contentEncoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (RequestBodies.encoded(contentEncoding)) {
            // a compressed body is inflated only for a caller whose signature (over the bytes as sent) holds, and a
            // body that is not its coding is DynamoDB's 500 only to such a caller: the signature is checked first
            refusal = signatures.check(view);
            signed = refusal == null;
            if (signed) {
                try {
                    body = RequestBodies.decode(contentEncoding, view.body());
                } catch (ContentCoding.Refused refused) {
                    if (refused.kind() == ContentCoding.Refused.Kind.TOO_LARGE) {
                        send(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Target.CONTENT_TYPE, TooLargeRequests.BODY, fromOrigin, false);
                        return;
                    }
                    refusal = DynamoError.internalServerError(ContentCoding.refusalMessage(refused));
                }
            }
            if (refusal != null) body = null;
        }
        queue.add(new Pending(
                request.headers().get(Target.HEADER),
                contentType,
                view,
                body,
                refusal,
                signed,
                contentType.equals(Target.CONTENT_TYPE) ? Target.CONTENT_TYPE : "application/json",
                ResponseBodies.accepted(request.headers().getAll(HttpHeaderNames.ACCEPT_ENCODING)),
                fromOrigin,
                keepAlive));
        ctx.channel().config().setAutoRead(false);
        if (!busy) next(ctx);
    }

    /** Starts the next queued request; answers those that complete inline in a loop, not by recursion. */
    private void next(ChannelHandlerContext ctx) {
        while (true) {
            Pending p = queue.poll();
            if (p == null) {
                busy = false;
                ctx.channel().config().setAutoRead(true);
                return;
            }
            busy = true;
            if (p.refusal() != null) {
                if (!answer(ctx, p, ApiResponse.of(p.refusal()))) return;
                continue;
            }
            RequestDispatcher.Lane lane = RequestDispatcher.lane(p.target(), p.body().length);
            boolean inline = lane == RequestDispatcher.Lane.INLINE;
            DynamoError inlineAuth = inline ? auth(p) : null;
            if (inline) {
                ApiResponse response = dispatcher.dispatchInline(p.target(), p.contentType(), p.body(), inlineAuth);
                if (response != null) {
                    if (!answer(ctx, p, response)) return;
                    continue;
                }
            }
            try {
                (lane == RequestDispatcher.Lane.WRITE ? writers : readers).execute(() -> {
                    DynamoError auth = inline ? inlineAuth : auth(p);
                    ApiResponse response = dispatcher.dispatch(p.target(), p.contentType(), p.body(), auth);
                    ctx.executor().execute(() -> respond(ctx, p, response));
                });
                return;
            } catch (RejectedExecutionException e) {
                if (!answer(ctx, p, ApiResponse.of(DynamoError.serviceUnavailable("The store is shutting down or overloaded")))) {
                    return;
                }
            }
        }
    }

    /** Null when the request's signature holds (checked here unless it already was), else the error to answer. */
    private DynamoError auth(Pending p) {
        return p.signed() ? null : signatures.check(p.request());
    }

    private void respond(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
        if (answer(ctx, p, response)) next(ctx);
    }

    /** Writes the response; true if the connection stays open for the next request. */
    private boolean answer(ChannelHandlerContext ctx, Pending p, ApiResponse response) {
        boolean keepAlive = p.keepAlive() && ctx.channel().isActive();
        byte[] body = response.body();
        FullHttpResponse out;
        byte[] wire = ResponseBodies.encode(p.coding(), body);
        if (wire != body) {
            // DynamoDB's x-amz-crc32 covers the bytes on the wire, the compressed ones
            out = response(HttpResponseStatus.valueOf(response.status()), p.responseType(), wire, p.fromOrigin());
            out.headers().set(HttpHeaderNames.CONTENT_ENCODING, p.coding().token());
        } else {
            out = response(HttpResponseStatus.valueOf(response.status()), p.responseType(), body, p.fromOrigin());
        }
        write(ctx, out, keepAlive);
        if (!keepAlive) queue.clear();
        return keepAlive;
    }

    /** DynamoDB's 404 for a method other than POST, or a body that is not JSON by its content type. */
    private static FullHttpResponse notFound(boolean fromOrigin) {
        return response(HttpResponseStatus.NOT_FOUND, null, NOT_FOUND, fromOrigin);
    }

    /** The media type of a Content-Type header, lower case, without parameters; empty when there is none. */
    private static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, byte[] body,
                             boolean fromOrigin, boolean keepAlive) {
        write(ctx, response(status, contentType, body, fromOrigin), keepAlive);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body, boolean fromOrigin) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(Crc32.HEADER, Crc32.of(body))
                .set(REQUEST_ID_HEADER, RequestIds.next());
        Cors.response(fromOrigin).forEach(h -> response.headers().set(h.getKey(), h.getValue()));
        return response;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) future.addListener(ChannelFutureListener.CLOSE);
    }

    /** What SigV4 verification reads: method, path, query, headers and body, copied out of Netty's buffers. */
    private static HttpRequestView view(FullHttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        List<Map.Entry<String, String>> headers = request.headers().entries();
        return new HttpRequestView(request.method().name(), q < 0 ? uri : uri.substring(0, q), q < 0 ? "" : uri.substring(q + 1),
                headers, ByteBufUtil.getBytes(request.content()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
