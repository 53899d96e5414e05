package dev.weir.proxy.transparent;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The destination a REDIRECTed connection was sent to before NAT rewrote it, read from the
 * kernel's connection tracking with {@code getsockopt} on the accepted socket's descriptor,
 * through Java's foreign function API (no JNI shim to build): {@code SO_ORIGINAL_DST} (80) at
 * {@code SOL_IP} (0) for IPv4, {@code IP6T_SO_ORIGINAL_DST} (80) at {@code SOL_IPV6} (41) for
 * IPv6. The answer is a {@code sockaddr_in} or {@code sockaddr_in6}, port in network order.
 *
 * <p>Linux only; the caller passes the family of the connection (an IPv4 client on a
 * dual-stack socket is asked at {@code SOL_IP}, which the kernel serves for mapped sockets).
 */
public final class OriginalDst {
    static final int SOL_IP = 0, SOL_IPV6 = 41, SO_ORIGINAL_DST = 80;
    private static final int AF_INET = 2, AF_INET6 = 10;
    private static final MethodHandle GETSOCKOPT;
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static {
        Linker linker = Linker.nativeLinker();
        GETSOCKOPT = linker.downcallHandle(linker.defaultLookup().find("getsockopt").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.captureCallState("errno"));
    }

    private OriginalDst() {}

    /**
     * The original destination of the connection on descriptor {@code fd}.
     *
     * @param ipv6 the connection is IPv6 (a v4-mapped peer is IPv4)
     * @throws IOException when the kernel has no such record (the connection was not NATed:
     *                     someone connected to weir's port directly) or the call fails
     */
    public static InetSocketAddress of(int fd, boolean ipv6) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(28);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc;
            try {
                rc = (int) GETSOCKOPT.invokeExact(state, fd, ipv6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, addr, len);
            } catch (Throwable t) {
                throw new IOException("getsockopt(SO_ORIGINAL_DST) could not be called", t);
            }
            if (rc != 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IOException("getsockopt(SO_ORIGINAL_DST) failed with errno " + errno
                        + (errno == 2 ? " (ENOENT: no NAT record; the connection was not redirected)" : ""));
            }
            return decode(addr, len.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /** A {@code sockaddr_in} or {@code sockaddr_in6} of {@code length} bytes as an address and port. */
    static InetSocketAddress decode(MemorySegment sa, int length) throws IOException {
        int family = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT, 0));
        int port = ((sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8) | (sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
        byte[] ip;
        if (family == AF_INET && length >= 8) {
            ip = sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
        } else if (family == AF_INET6 && length >= 24) {
            ip = sa.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
        } else {
            throw new IOException("getsockopt(SO_ORIGINAL_DST) gave address family " + family + " of " + length + " bytes");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException impossible) {
            throw new IOException(impossible);
        }
    }
}
