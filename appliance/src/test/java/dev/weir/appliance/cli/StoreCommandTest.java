package dev.weir.appliance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir store} refuses to start without the key pair it must check signatures against. */
class StoreCommandTest {
    record Run(int exit, String out, String err) {}

    private static synchronized Run weir(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new WeirCommand());
            int exit = cli.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void withoutAConfigurationFileOrFlagsItDoesNotStart(@TempDir Path home) {
        Run r = weir("store", "--home", home.toString(), "--port", "0", "--config", home.resolve("absent.yaml").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no credentials"), r.err());
        assertFalse(Files.exists(home.resolve("store")), "no store was opened");
    }

    @Test
    void oneFlagWithoutTheOtherIsRefused(@TempDir Path home) {
        Run r = weir("store", "--home", home.toString(), "--port", "0", "--access-key-id", "AKIAONLY");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--access-key-id and --secret-access-key go together"), r.err());
        r = weir("store", "--home", home.toString(), "--port", "0", "--access-key-id", " ", "--secret-access-key", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("must not be empty"), r.err());
    }

    @Test
    void aConfigurationFileWithoutUpstreamCredentialsIsRefused(@TempDir Path home) throws Exception {
        Path config = home.resolve("weir.yaml");
        Files.writeString(config, "upstream: {region: us-east-1}\n");
        Run r = weir("store", "--home", home.toString(), "--port", "0", "--config", config.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("upstream.access_key_id and upstream.secret_access_key are required"), r.err());
    }

    @Test
    void helpSaysWhereTheCredentialsComeFrom() {
        Run r = weir("store", "--help");
        assertEquals(0, r.exit());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("upstream.access_key_id"), help);
        assertTrue(help.contains("--access-key-id"), help);
        assertTrue(help.contains("without credentials the store does not start"), help);
    }
}
