package dev.weir.dpdk.shim;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Hand-written bindings to {@code weir_dpdk.h} in jextract's style: one method handle per C
 * function, Java methods with the C names' meaning. All calls but {@link #lastError()} must come
 * from the bridge's one poller thread (the shim is single-threaded by design). {@code wd_recv}
 * and {@code wd_send} are critical calls that may take heap memory: they are short, never call
 * back, and spare a copy when Netty hands over a heap buffer.
 */
public final class Shim {
    private static final Linker LINKER = Linker.nativeLinker();

    /** The number of counters in {@code wd_stats}. */
    public static final int STATS = 10;
    private final MethodHandle init, mac, listen, unlisten, poll, recv, send, close, abort, stats, lastError;

    private Shim(SymbolLookup lib) {
        init = handle(lib, "wd_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        mac = handle(lib, "wd_mac", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        listen = handle(lib, "wd_listen", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        unlisten = handle(lib, "wd_unlisten", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        poll = handle(lib, "wd_poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        recv = handle(lib, "wd_recv", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
        send = handle(lib, "wd_send", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.critical(true));
        close = handle(lib, "wd_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        abort = handle(lib, "wd_abort", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        stats = handle(lib, "wd_get_stats", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        lastError = handle(lib, "wd_last_error", FunctionDescriptor.of(ADDRESS));
    }

    /** Loads the shim from {@code library} (its DPDK and lwIP dependencies resolve through the system's loader). */
    public static Shim load(Path library) {
        return new Shim(SymbolLookup.libraryLookup(library, Arena.global()));
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException("the dpdk-bridge shim has no symbol " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** {@code wd_init}: EAL arguments (the program name first), then the interface's address settings. */
    public int init(List<String> ealArgs, String ip, String netmask, String gateway, String macAddress) {
        try (Arena arena = Arena.ofConfined()) {
            // EAL keeps pointers into argv: the strings live as long as the process.
            MemorySegment argv = Arena.global().allocate(ADDRESS, ealArgs.size() + 1L);
            for (int i = 0; i < ealArgs.size(); i++) argv.setAtIndex(ADDRESS, i, Arena.global().allocateFrom(ealArgs.get(i)));
            argv.setAtIndex(ADDRESS, ealArgs.size(), MemorySegment.NULL);
            MemorySegment mac = macAddress == null ? MemorySegment.NULL : arena.allocateFrom(macAddress);
            return (int) init.invokeExact(ealArgs.size(), argv, arena.allocateFrom(ip), arena.allocateFrom(netmask),
                    arena.allocateFrom(gateway), mac);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The port's MAC address, or null before a successful {@link #init}. */
    public String mac() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(18);
            return (int) mac.invokeExact(out, 18) < 0 ? null : out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int listen(int port) {
        try {
            return (int) listen.invokeExact((short) port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int unlisten(int port) {
        try {
            return (int) unlisten.invokeExact((short) port);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Receives packets into the stack; fills {@code events} (see {@link Events}) and returns how many. */
    public int poll(Events events) {
        try {
            return (int) poll.invokeExact(events.segment(), events.capacity());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes copied into {@code into}; 0 none waiting; -1 the peer closed and all was read; below -1 an error. */
    public int recv(int conn, MemorySegment into) {
        try {
            return (int) recv.invokeExact(conn, into, (int) into.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes of {@code from} taken into the send buffer (0: full); negative: an error. */
    public int send(int conn, MemorySegment from) {
        try {
            return (int) send.invokeExact(conn, from, (int) Math.min(from.byteSize(), Integer.MAX_VALUE));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int close(int conn) {
        try {
            return (int) close.invokeExact(conn);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int abort(int conn) {
        try {
            return (int) abort.invokeExact(conn);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The shim's counters in {@code wd_stats}' order: rx and tx packets, tx drops, rx and tx
     * bytes, accepted, open, rx drops, the device's rx missed and tx errors.
     */
    public long[] stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, STATS);
            int rc = (int) stats.invokeExact(out);
            return rc < 0 ? new long[STATS] : out.toArray(ValueLayout.JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The last failure in words. */
    public String lastError() {
        try {
            return ((MemorySegment) lastError.invokeExact()).reinterpret(512).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
