package dev.weir.dpdk;

import dev.weir.dpdk.shim.Shim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The checks before DPDK starts, each with an error that says what is missing and how to get
 * it: the shim library (built only where DPDK and lwIP were installed), DPDK's own libraries
 * (the shim links them), and free hugepages (unless the EAL arguments say {@code --no-huge}).
 */
final class Preflight {
    static final String RESOURCE = "/dev/weir/dpdk/native/libweirdpdk.so";
    private static final Path HUGEPAGES = Path.of("/sys/kernel/mm/hugepages");

    private Preflight() {}

    /** The shim, loaded; throws with the reason when it cannot be. */
    static Shim loadShim(DpdkSettings settings) throws DpdkException {
        Path library = settings.library() != null ? settings.library() : extracted();
        if (!Files.isRegularFile(library)) {
            throw new DpdkException("the dpdk-bridge shim " + library + " does not exist");
        }
        try {
            return Shim.load(library);
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new DpdkException("cannot load the dpdk-bridge shim " + library + " (" + e.getMessage()
                    + "): DPDK's or lwIP's libraries are missing; scripts/dpdk installs them", e);
        }
    }

    /** Throws when the EAL would find no hugepage to run on. */
    static void checkHugepages(DpdkSettings settings) throws DpdkException {
        if (settings.noHugepages()) return;
        long free = freeHugepages(HUGEPAGES);
        if (free == 0) {
            throw new DpdkException("no free hugepages for DPDK: reserve some (e.g. echo 256 > /proc/sys/vm/nr_hugepages)"
                    + " or add --no-huge to proxy.dpdk.eal_args");
        }
    }

    /** Free hugepages of every size under {@code root} (sysfs' hugepages folder); 0 when there is none. */
    static long freeHugepages(Path root) {
        if (!Files.isDirectory(root)) return 0;
        long free = 0;
        try (var sizes = Files.list(root)) {
            for (Path size : sizes.toList()) {
                Path f = size.resolve("free_hugepages");
                if (Files.isReadable(f)) free += Long.parseLong(Files.readString(f).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return free;
    }

    private static Path extracted() throws DpdkException {
        try (InputStream in = Preflight.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DpdkException("this weir was built without the dpdk-bridge shim (DPDK or lwIP was missing at build"
                        + " time): run scripts/dpdk, rebuild, or name a built libweirdpdk.so in proxy.dpdk.library");
            }
            Path file = Files.createTempFile("libweirdpdk", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new DpdkException("cannot extract the dpdk-bridge shim: " + e.getMessage(), e);
        }
    }
}
