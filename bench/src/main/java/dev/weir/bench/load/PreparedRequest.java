package dev.weir.bench.load;

import dev.weir.protocol.model.Operation;
import io.netty.buffer.ByteBuf;

/**
 * One complete HTTP/1.1 request (head, SigV4 headers and body), encoded and signed before the
 * run. {@link #bytes()} is unreleasable: every send writes a duplicate of it.
 */
public record PreparedRequest(Operation operation, ByteBuf bytes) {
    /** A view of the bytes with its own indices, for one write. */
    ByteBuf forWrite() {
        return bytes.duplicate();
    }
}
