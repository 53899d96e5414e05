package dev.weir.appliance.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileReloaderTest {
    @Test
    void reloadsOnlyWhenTheContentChangesAndDoesNotRetryARefusedVersion(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("principals.yaml");
        Files.writeString(f, "one");
        List<String> seen = new ArrayList<>();
        try (FileReloader r = new FileReloader(f, file -> {
            String text = Files.readString(file);
            if (text.startsWith("bad")) throw new IllegalArgumentException("refused");
            seen.add(text);
        }, 3_600_000)) {
            r.check();
            assertEquals(List.of(), seen, "unchanged content is not reloaded");
            Files.writeString(f, "two");
            r.check();
            r.check();
            assertEquals(List.of("two"), seen);
            Files.writeString(f, "bad");
            r.check();
            r.check();
            Files.delete(f);
            r.check();
            Files.writeString(f, "three");
            r.check();
            assertEquals(List.of("two", "three"), seen);
        }
    }
}
