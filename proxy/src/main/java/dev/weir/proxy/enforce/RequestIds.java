package dev.weir.proxy.enforce;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id weir gives each request when it arrives: sent to the client as {@code x-amzn-RequestId}
 * and written into the request's audit records, so a client's request id finds its events. A
 * random (version 4) UUID from the thread's fast random generator: it must be unique, not
 * unguessable, and {@link UUID#randomUUID()} takes a lock and the secure generator's time on
 * every request. It is weir's own and never the store's: a request may reach the store
 * several times (a read weir pages, BatchGetItem rounds) or not at all (a refusal).
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
