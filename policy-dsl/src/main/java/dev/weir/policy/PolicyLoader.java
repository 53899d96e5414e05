package dev.weir.policy;

import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.check.CheckOptions;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.PolicyChecker;
import dev.weir.policy.check.Severity;
import dev.weir.policy.compile.PolicyCompiler;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.schema.SchemaLoader;
import dev.weir.policy.schema.TableSchema;
import dev.weir.policy.parse.ParseResult;
import dev.weir.policy.parse.PolicyParser;
import dev.weir.policy.trigger.TriggerCompiler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads a policy set: reads, parses, checks and compiles (rules, then the triggers against the
 * compiled rules: a trigger's role must see what the trigger decides on). A {@code schema.yaml} beside the
 * policies (see {@link TableSchema}) is checked against and counts as part of the set. Each step runs only when the
 * one before produced no errors, so a broken set yields its errors and no table; the
 * caller keeps running the table it had.
 *
 * <p>The content hash is SHA-256 (lowercase hex) over the files in sorted order of their
 * relative paths, each contributing: the path's UTF-8 length (4 bytes, big-endian), the
 * path's UTF-8 bytes, the content's length (8 bytes, big-endian) and the content bytes.
 * It identifies the policy set in audit records and reload logs.
 */
public final class PolicyLoader {
    static final String EXTENSION = ".weir";

    private PolicyLoader() {}

    /**
     * Every {@code *.weir} file under {@code dir} (recursively, sorted by relative path).
     * Never throws for bad input: a missing directory, an unreadable or non-UTF-8 file and
     * an empty directory are reported as errors.
     */
    public static LoadResult load(Path dir) {
        return load(dir, HmacKeys.fromEnvironment());
    }

    /** The same, with the keys {@code hmac} masks use; a policy naming a key not among them does not load. */
    public static LoadResult load(Path dir, HmacKeys keys) {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return failed(dir.toString(), "policy directory not found", hash(files));
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> isPolicyFile(dir, p, EXTENSION)).toList();
        } catch (IOException | RuntimeException e) {
            return failed(dir.toString(), "cannot list policy files: " + e.getMessage(), hash(files));
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Path p : paths) {
            String name = relativeName(dir, p);
            try {
                files.put(name, Files.readAllBytes(p));
            } catch (IOException e) {
                diagnostics.add(fileError(name, "cannot read: " + e.getMessage()));
            }
        }
        Path schemaFile = dir.resolve(SchemaLoader.FILE_NAME);
        byte[] schemaBytes = null;
        if (Files.isRegularFile(schemaFile)) {
            try {
                schemaBytes = Files.readAllBytes(schemaFile);
            } catch (IOException e) {
                diagnostics.add(fileError(SchemaLoader.FILE_NAME, "cannot read: " + e.getMessage()));
            }
        }
        Map<String, byte[]> hashed = new TreeMap<>(files);
        if (schemaBytes != null) hashed.put(SchemaLoader.FILE_NAME, schemaBytes);
        String hash = hash(hashed);
        Optional<TableSchema> schema = Optional.empty();
        if (schemaBytes != null) {
            SchemaLoader.Result parsed = SchemaLoader.parse(SchemaLoader.FILE_NAME, new String(schemaBytes, StandardCharsets.UTF_8));
            diagnostics.addAll(parsed.diagnostics());
            schema = parsed.schema();
        }
        List<PolicySource> sources = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(f.getValue())).toString();
                sources.add(new PolicySource(f.getKey(), text));
            } catch (CharacterCodingException e) {
                diagnostics.add(fileError(f.getKey(), "not valid UTF-8"));
            }
        }
        if (!diagnostics.isEmpty()) return new LoadResult(Optional.empty(), diagnostics, hash);
        if (sources.isEmpty()) return failed(dir.toString(), "no policy files (*" + EXTENSION + ")", hash);
        return compile(sources, hash, new CheckOptions(schema, keys), keys);
    }

    /**
     * The same pipeline over texts in memory (tools and tests); sources are sorted by name
     * first. No schema; every hmac key name resolves to a stable test key
     * ({@link HmacKeys#forTesting()}).
     */
    public static LoadResult load(List<PolicySource> sources) {
        return load(sources, Optional.empty(), HmacKeys.forTesting());
    }

    /** The same pipeline over texts in memory, with a schema and keys. */
    public static LoadResult load(List<PolicySource> sources, Optional<TableSchema> schema, HmacKeys keys) {
        Map<String, byte[]> files = new TreeMap<>();
        for (PolicySource s : sources) files.put(s.name(), s.text().getBytes(StandardCharsets.UTF_8));
        String hash = hash(files);
        if (sources.isEmpty()) return failed("(sources)", "no policy files", hash);
        List<PolicySource> sorted = new ArrayList<>(sources);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        return compile(sorted, hash, new CheckOptions(schema, keys), keys);
    }

    /**
     * A loaded policy set with what tools need besides the table: the sources and their ASTs.
     *
     * @param files the parsed files, in source order (empty when a file did not parse)
     */
    public record PolicySet(LoadResult result, List<PolicySource> sources, List<PolicyFile> files) {}

    /**
     * Whether {@code p}, found walking {@code dir}, is a file of the policy set: a regular file (or a
     * link to one) ending in {@code extension}, with no hidden name (starting with '.') between
     * {@code dir} and it. A Kubernetes ConfigMap volume holds each file twice, as a link at the top
     * and as the real file inside a hidden timestamped folder ({@code ..2026_12_07_...}); editors and
     * git keep their own hidden copies too. Reading those would load every rule twice.
     */
    public static boolean isPolicyFile(Path dir, Path p, String extension) {
        if (!p.getFileName().toString().endsWith(extension) || !Files.isRegularFile(p)) return false;
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) return false;
        }
        return true;
    }

    /** Like {@link #load(Path, HmacKeys)}, keeping the sources and ASTs (explain, test, fmt). */
    public static PolicySet loadSet(Path dir, HmacKeys keys) {
        LoadResult result = load(dir, keys);
        List<PolicySource> sources = new ArrayList<>();
        List<PolicyFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(x -> isPolicyFile(dir, x, EXTENSION)).sorted().toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                String name = relativeName(dir, p);
                sources.add(new PolicySource(name, text));
                PolicyParser.parse(name, text).file().ifPresent(files::add);
            }
        } catch (IOException | RuntimeException e) {
            // the result already carries the error
        }
        sources.sort((a, b) -> a.name().compareTo(b.name()));
        files.sort((a, b) -> a.file().compareTo(b.file()));
        return new PolicySet(result, sources, files);
    }

    private static LoadResult compile(List<PolicySource> sources, String hash, CheckOptions options, HmacKeys keys) {
        try {
            List<Diagnostic> diagnostics = new ArrayList<>();
            List<PolicyFile> files = new ArrayList<>();
            for (PolicySource s : sources) {
                ParseResult parsed = PolicyParser.parse(s.name(), s.text());
                diagnostics.addAll(parsed.diagnostics());
                parsed.file().ifPresent(files::add);
            }
            if (hasErrors(diagnostics)) return new LoadResult(Optional.empty(), sorted(diagnostics), hash);
            diagnostics.addAll(PolicyChecker.check(files, options));
            if (hasErrors(diagnostics)) return new LoadResult(Optional.empty(), sorted(diagnostics), hash);
            DecisionTable table = PolicyCompiler.compile(files, keys);
            TriggerCompiler.Result triggers = TriggerCompiler.compile(files, table, options.schema());
            diagnostics.addAll(triggers.diagnostics());
            if (hasErrors(diagnostics)) return new LoadResult(Optional.empty(), sorted(diagnostics), hash);
            table = table.withTriggers(triggers.triggers(), triggers.schedules(), triggers.requests());
            diagnostics.addAll(emptiness(sources, table));
            return new LoadResult(Optional.of(table), sorted(diagnostics), hash);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug, not a policy error; still never let a reload take the caller down.
            return failed("(policy set)", "internal error while loading policies: " + e, hash);
        }
    }

    /**
     * Warnings for a policy set that loads but allows nothing: an empty file, and a set without a
     * single rule. Such a set is accepted (it denies every request: fail closed), but never
     * silently, since it is far more often a truncated or mistaken file than an intent.
     */
    private static List<Diagnostic> emptiness(List<PolicySource> sources, DecisionTable table) {
        List<Diagnostic> out = new ArrayList<>();
        for (PolicySource s : sources) {
            if (s.text().isBlank()) out.add(new Diagnostic(s.name(), 0, 0, Severity.WARNING, "the file is empty"));
        }
        if (table.ruleCount() == 0) {
            out.add(new Diagnostic(sources.size() == 1 ? sources.getFirst().name() : "(policy set)", 0, 0, Severity.WARNING,
                    "the policy set has no rules: every request will be denied"));
        }
        return out;
    }

    private static boolean hasErrors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    private static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Diagnostic.ORDER);
        return out;
    }

    private static LoadResult failed(String where, String message, String hash) {
        return new LoadResult(Optional.empty(), List.of(new Diagnostic(where, 0, 0, Severity.ERROR, message)), hash);
    }

    private static Diagnostic fileError(String file, String message) {
        return new Diagnostic(file, 0, 0, Severity.ERROR, message);
    }

    private static String relativeName(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path part : dir.relativize(file)) parts.add(part.toString());
        return String.join("/", parts);
    }

    private static String hash(Map<String, byte[]> sortedFiles) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : sortedFiles.entrySet()) {
                byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(name.length).array());
                sha.update(name);
                sha.update(ByteBuffer.allocate(8).putLong(f.getValue().length).array());
                sha.update(f.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
