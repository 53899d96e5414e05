package dev.weir.proxy.transparent;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Destination entries as the configuration writes them, what they match, and the sockaddr SO_ORIGINAL_DST answers with. */
class DestinationTest {
    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void everyWrittenFormParsesAndPrintsBack() {
        assertEquals("10.0.2.2:8000", Destination.parse("10.0.2.2:8000").toString());
        assertEquals("10.0.2.0/24", Destination.parse("10.0.2.0/24").toString());
        assertEquals("10.0.2.0/24:8000", Destination.parse(" 10.0.2.0/24:8000 ").toString());
        assertEquals("[fd00:0:0:0:0:0:0:2]:8000", Destination.parse("[fd00::2]:8000").toString());
        assertEquals("[fd00:0:0:0:0:0:0:0/64]:8000", Destination.parse("[fd00::]/64:8000").toString());
        assertEquals(Destination.parse("[fd00::]/64:8000"), Destination.parse("[fd00::/64]:8000"));
        assertEquals(0, Destination.parse("fd00::/64").port());
        assertEquals(128, Destination.parse("fd00::2").prefix());
    }

    @Test
    void badEntriesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("store.example:8000")).getMessage()
                .contains("numeric"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("10.0.2.1/24")).getMessage()
                .contains("past the prefix"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("10.0.2.2:0"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("10.0.2.2:70000"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("10.0.2.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("[fd00::2:8000"));
    }

    @Test
    void matchingTakesTheBlockThePortAndTheFamily() throws Exception {
        Destination block = Destination.parse("10.0.2.0/23:8000");
        assertTrue(block.matches(at("10.0.3.255", 8000)));
        assertFalse(block.matches(at("10.0.4.0", 8000)));
        assertFalse(block.matches(at("10.0.2.2", 8001)));
        assertTrue(block.matches(at("::ffff:10.0.2.9", 8000)), "an IPv4 client on a dual-stack socket");
        assertFalse(Destination.parse("fd00::/64").matches(at("10.0.2.2", 80)));
        assertTrue(Destination.parse("fd00::/64").matches(at("fd00::1234", 443)));
        assertFalse(Destination.parse("fd00::/64").matches(at("fd00:0:0:1::1", 443)));
        assertTrue(Destination.parse("0.0.0.0/0").matches(at("192.0.2.1", 1)));
    }

    @Test
    void socketAddressesFromTheKernelDecode() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v4 = arena.allocate(16);
            v4.set(ValueLayout.JAVA_SHORT, 0, (short) 2);  // AF_INET, host order
            v4.set(ValueLayout.JAVA_BYTE, 2, (byte) 0x1f);  // port 8000 in network order
            v4.set(ValueLayout.JAVA_BYTE, 3, (byte) 0x40);
            v4.asSlice(4, 4).copyFrom(MemorySegment.ofArray(new byte[] {10, 17, 2, 2}));
            assertEquals(at("10.17.2.2", 8000), OriginalDst.decode(v4, 16));
            MemorySegment v6 = arena.allocate(28);
            v6.set(ValueLayout.JAVA_SHORT, 0, (short) 10);  // AF_INET6
            v6.set(ValueLayout.JAVA_BYTE, 2, (byte) 0x01);
            v6.set(ValueLayout.JAVA_BYTE, 3, (byte) 0xbb);
            v6.asSlice(8, 16).copyFrom(MemorySegment.ofArray(InetAddress.getByName("fd17:2::2").getAddress()));
            assertEquals(at("fd17:2::2", 443), OriginalDst.decode(v6, 28));
            assertThrows(java.io.IOException.class, () -> OriginalDst.decode(v6, 12));
        }
    }
}
