package dev.weir.dpdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up checks' errors, without starting DPDK. */
class PreflightTest {
    @Test
    void countsFreeHugepagesOfEverySize(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("hugepages-2048kB"));
        Files.writeString(sys.resolve("hugepages-2048kB/free_hugepages"), "3\n");
        Files.createDirectories(sys.resolve("hugepages-1048576kB"));
        Files.writeString(sys.resolve("hugepages-1048576kB/free_hugepages"), "0\n");
        assertEquals(3, Preflight.freeHugepages(sys));
        assertEquals(0, Preflight.freeHugepages(sys.resolve("absent")));
    }

    @Test
    void aMissingShimIsAClearErrorNotAFallBack(@TempDir Path dir) {
        DpdkSettings s = new DpdkSettings(List.of("--no-huge"), "10.217.0.2", null, null, null, dir.resolve("libweirdpdk.so"), 0);
        DpdkException e = assertThrows(DpdkException.class, () -> Bridge.start(s));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aLibraryThatDoesNotLoadSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("libweirdpdk.so"), "not an ELF file");
        DpdkSettings s = new DpdkSettings(List.of("--no-huge"), "10.217.0.2", null, null, null, junk, 0);
        DpdkException e = assertThrows(DpdkException.class, () -> Bridge.start(s));
        assertTrue(e.getMessage().contains("scripts/dpdk installs them"), e.getMessage());
    }

    @Test
    void anAddressThatIsNotIpv4IsRefused() {
        DpdkSettings s = new DpdkSettings(List.of(), "::1", null, null, null, null, 0);
        DpdkException e = assertThrows(DpdkException.class, () -> Bridge.start(s));
        assertTrue(e.getMessage().contains("IPv4"), e.getMessage());
    }
}
