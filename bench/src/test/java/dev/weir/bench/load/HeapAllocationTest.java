package dev.weir.bench.load;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapAllocationTest {
    @Test
    void eachThreadsCountIsReadInItsUnit() {
        Map<Long, Long> t = HeapAllocation.parse("""
                2026-12-08 02:10:00
                Full thread dump OpenJDK 64-Bit Server VM (25+36-LTS mixed mode, sharing):

                "main" #3 [5301] prio=5 os_prio=0 cpu=1022.76ms elapsed=2.34s allocated=120M defined_classes=1501 tid=0x1 nid=5301 waiting
                   java.lang.Thread.State: TIMED_WAITING (sleeping)
                "Reference Handler" #6 [5304] daemon prio=10 os_prio=0 cpu=0.57ms elapsed=2.31s allocated=64B defined_classes=0 tid=0x2
                "epollEventLoopGroup-2-1" #31 [5330] prio=5 os_prio=0 cpu=9.1ms elapsed=2.0s allocated=3G defined_classes=7 tid=0x3
                "a \\"quoted\\" #99 name" #40 [5340] prio=5 os_prio=0 cpu=1ms elapsed=1s allocated=15K defined_classes=0 tid=0x4
                "VM Thread" os_prio=0 cpu=3.10ms elapsed=2.32s tid=0x5 nid=5299 runnable
                """);
        assertEquals(Map.of(3L, 120L << 20, 6L, 64L, 31L, 3L << 30, 40L, 15L << 10), t);
    }

    @Test
    void allocationIsEachLiveThreadsGrowthAndANewThreadsWholeCount() {
        Map<Long, Long> before = Map.of(3L, 100L, 6L, 50L, 9L, 1_000L);
        Map<Long, Long> after = Map.of(3L, 400L, 6L, 50L, 12L, 70L);   // 9 ended, 12 is new
        assertEquals(300 + 70, HeapAllocation.between(before, after));
        assertEquals(-1, HeapAllocation.between(null, after));
        assertNull(HeapAllocation.read(Long.MAX_VALUE - 1), "no such process");
    }

    /** A JVM allocates 400 MB on cue; read from outside, the figure is that, short by at most a MB per thread. */
    @Test
    void aJvmsAllocationIsReadFromOutside() throws Exception {
        long wanted = 400L << 20;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Allocator.class.getName(), Long.toString(wanted))).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = child.getOutputStream()) {
            assertEquals("ready", out.readLine());
            Map<Long, Long> before = HeapAllocation.read(child.pid());
            assertNotNull(before);
            in.write('\n');
            in.flush();
            assertEquals("done", out.readLine());
            Map<Long, Long> after = HeapAllocation.read(child.pid());
            long allocated = HeapAllocation.between(before, after);
            assertTrue(allocated >= wanted - (after.size() << 20) && allocated <= wanted + (16L << 20),
                    "allocated " + allocated + " bytes, asked for " + wanted + ": " + before + " → " + after);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Allocates its argument's bytes (in 4 KB arrays that escape) after a line on stdin, then waits to be stopped. */
    public static final class Allocator {
        static volatile byte[] sink;

        public static void main(String[] args) throws Exception {
            long bytes = Long.parseLong(args[0]);
            System.out.println("ready");
            System.in.read();
            // each array is 4,096 bytes of payload and a 16-byte header
            for (long n = bytes / 4_112; n > 0; n--) sink = new byte[4_096];
            System.out.println("done");
            System.in.read();
        }
    }
}
