package dev.weir.dpdk.shim;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code wd_event} array {@code wd_poll} fills: the layout of the C struct and readers for
 * its members, as jextract would write them.
 */
public final class Events {
    public static final int ACCEPT = 1, READABLE = 2, WRITABLE = 3, ERROR = 4;

    /** {@code struct wd_event { int32 kind; int32 conn; uint32 addr; uint16 port; uint16 local_port; }} */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("kind"), ValueLayout.JAVA_INT.withName("conn"),
            ValueLayout.JAVA_INT.withName("addr"), ValueLayout.JAVA_SHORT.withName("port"),
            ValueLayout.JAVA_SHORT.withName("local_port"));

    private final MemorySegment segment;
    private final int capacity;

    public Events(Arena arena, int capacity) {
        this.segment = arena.allocate(LAYOUT, capacity);
        this.capacity = capacity;
    }

    MemorySegment segment() {
        return segment;
    }

    int capacity() {
        return capacity;
    }

    public int kind(int i) {
        return segment.get(ValueLayout.JAVA_INT, i * LAYOUT.byteSize());
    }

    public int conn(int i) {
        return segment.get(ValueLayout.JAVA_INT, i * LAYOUT.byteSize() + 4);
    }

    /** The peer's IPv4 address (ACCEPT); the C side keeps it in network byte order. */
    public InetAddress address(int i) {
        byte[] b = new byte[4];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, i * LAYOUT.byteSize() + 8, b, 0, 4);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    public int port(int i) {
        return Short.toUnsignedInt(segment.get(ValueLayout.JAVA_SHORT, i * LAYOUT.byteSize() + 12));
    }

    public int localPort(int i) {
        return Short.toUnsignedInt(segment.get(ValueLayout.JAVA_SHORT, i * LAYOUT.byteSize() + 14));
    }
}
