package dev.weir.policy;

import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLoaderTest {

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void loadsEveryWeirFileRecursively(@TempDir Path dir) throws IOException {
        write(dir.resolve("roles.weir"), "role analyst\nrole support extends analyst\n");
        write(dir.resolve("tables/people.weir"), "\nallow analyst on table people op read fields [id]\n");
        write(dir.resolve("tables/README.md"), "not a policy");
        LoadResult r = PolicyLoader.load(dir);
        assertTrue(r.ok(), r.diagnostics()::toString);
        Allowed a = assertInstanceOf(Allowed.class,
                r.table().orElseThrow().decide(new DecisionRequest(Set.of("support"), "people", Operation.Query)));
        assertEquals(List.of("tables/people.weir:2"), a.ruleIds());
        assertEquals(64, r.contentHash().length());
    }

    /**
     * A Kubernetes ConfigMap volume: each key a link at the top, to {@code ..data/KEY}, with
     * {@code ..data} a link to the hidden timestamped folder that holds the real files. The policy
     * set is the files at the top, once (the hidden copies would load every rule twice).
     */
    @Test
    void aConfigMapVolumeLoadsEachFileOnceAndHiddenFoldersAreSkipped(@TempDir Path dir) throws IOException {
        Path real = dir.resolve("..2026_12_07_01_02_03.123456789");
        write(real.resolve("people.weir"), "role analyst\nallow analyst on table people op read fields [id]\n");
        write(real.resolve("people.test.yaml"), "tests: []\n");
        Files.createSymbolicLink(dir.resolve("..data"), real.getFileName());
        Files.createSymbolicLink(dir.resolve("people.weir"), Path.of("..data/people.weir"));
        Files.createSymbolicLink(dir.resolve("people.test.yaml"), Path.of("..data/people.test.yaml"));
        write(dir.resolve(".git/old.weir"), "this is not weir at all");
        LoadResult r = PolicyLoader.load(dir);
        assertTrue(r.ok(), r.diagnostics()::toString);
        Allowed a = assertInstanceOf(Allowed.class,
                r.table().orElseThrow().decide(new DecisionRequest(Set.of("analyst"), "people", Operation.GetItem)));
        assertEquals(List.of("people.weir:2"), a.ruleIds());
        assertEquals(List.of("people.weir"), PolicyLoader.loadSet(dir, dev.weir.policy.field.HmacKeys.fromEnvironment()).sources().stream().map(PolicySource::name).toList());
        assertEquals(List.of(dir.resolve("people.test.yaml")), dev.weir.policy.testing.PolicyTestRunner.testFiles(dir));
    }

    @Test
    void contentHashDependsOnPathsAndBytesOnly(@TempDir Path dir) throws IOException {
        write(dir.resolve("a.weir"), "role a\n");
        write(dir.resolve("b/c.weir"), "allow a on table t op *\n");
        String first = PolicyLoader.load(dir).contentHash();
        assertEquals(first, PolicyLoader.load(dir).contentHash());
        assertEquals(first, Policies.load("b/c.weir", "allow a on table t op *\n", "a.weir", "role a\n").contentHash());
        write(dir.resolve("b/c.weir"), "allow a on table t op * \n");
        assertNotEquals(first, PolicyLoader.load(dir).contentHash());
    }

    /** An empty file, or files without a single rule, load (everyone is denied: fail closed) but never silently. */
    @Test
    void anEmptyFileOrAPolicySetWithoutRulesLoadsWithWarnings(@TempDir Path dir) throws IOException {
        write(dir.resolve("p.weir"), "");
        LoadResult empty = PolicyLoader.load(dir);
        assertTrue(empty.ok(), empty.diagnostics()::toString);
        assertEquals(0, empty.table().orElseThrow().ruleCount());
        assertEquals(List.of("p.weir: warning: the file is empty", "p.weir: warning: the policy set has no rules: every request will be denied"),
                empty.diagnostics().stream().map(Diagnostic::headline).toList());
        assertFalse(empty.table().orElseThrow().decide(new DecisionRequest(Set.of("admin"), "t", Operation.GetItem)) instanceof Allowed);

        write(dir.resolve("p.weir"), "# roles only\nrole a\n");
        write(dir.resolve("q.weir"), "role b\n");
        assertEquals(List.of("(policy set): warning: the policy set has no rules: every request will be denied"),
                PolicyLoader.load(dir).diagnostics().stream().map(Diagnostic::headline).toList());

        write(dir.resolve("q.weir"), "role b\nallow b on table t op GetItem\n");
        assertEquals(List.of(), PolicyLoader.load(dir).diagnostics(), "a set with a rule has no such warning");
    }

    @Test
    void emptyOrMissingDirectoryIsAnError(@TempDir Path dir) throws IOException {
        LoadResult empty = PolicyLoader.load(dir);
        assertFalse(empty.ok());
        assertEquals(List.of(dir + ": error: no policy files (*.weir)"),
                empty.diagnostics().stream().map(Diagnostic::headline).toList());
        LoadResult missing = PolicyLoader.load(dir.resolve("nope"));
        assertFalse(missing.ok());
        assertEquals(List.of(dir.resolve("nope") + ": error: policy directory not found"),
                missing.diagnostics().stream().map(Diagnostic::headline).toList());
    }

    @Test
    void invalidUtf8IsAnError(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("bad.weir"), new byte[]{'r', 'o', 'l', 'e', ' ', (byte) 0xC3, (byte) 0x28});
        LoadResult r = PolicyLoader.load(dir);
        assertEquals(List.of("bad.weir: error: not valid UTF-8"), r.diagnostics().stream().map(Diagnostic::headline).toList());
    }

    @Test
    void errorsInOneFileRefuseTheWholeSet(@TempDir Path dir) throws IOException {
        write(dir.resolve("good.weir"), "role a\nallow a on table t op *\n");
        write(dir.resolve("bad.weir"), "allow a on table t op [\n");
        LoadResult r = PolicyLoader.load(dir);
        assertFalse(r.ok());
        assertTrue(r.table().isEmpty());
        assertEquals(1, r.errors().size());
        assertEquals("bad.weir", r.errors().getFirst().file());
        assertEquals(2, r.errors().getFirst().line());
    }

    @Test
    void duplicateIdsAcrossFilesAreAnError(@TempDir Path dir) throws IOException {
        write(dir.resolve("a.weir"), "role a\n@id(\"same\") allow a on table t op read\n");
        write(dir.resolve("z/b.weir"), "@id(\"same\") deny a on table t op write\n");
        LoadResult r = PolicyLoader.load(dir);
        assertEquals(List.of("z/b.weir:1:1: error: duplicate rule id 'same' (first defined at a.weir:2:1)"),
                r.diagnostics().stream().map(Diagnostic::headline).toList());
    }
}
