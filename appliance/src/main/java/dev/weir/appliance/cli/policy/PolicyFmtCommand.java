package dev.weir.appliance.cli.policy;

import dev.weir.policy.check.SourceLines;
import dev.weir.policy.format.PolicyFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code weir policy fmt DIR [--check]}: canonical formatting of every *.weir file. */
@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = "Rewrite the *.weir files in DIR in canonical layout (comments kept); --check only reports.")
public final class PolicyFmtCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The policy directory (or one file).")
    Path dir;

    @Option(names = "--check", description = "Change nothing; list files that are not formatted and exit 1 if any.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        List<Path> files;
        // Both sides absolute and normalised: a relative folder (the README's `conf/policies`) beside absolute files
        // would not relativize.
        Path base = (Files.isDirectory(dir) ? dir.toAbsolutePath() : dir.toAbsolutePath().getParent()).normalize();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> p.toString().endsWith(".weir") && Files.isRegularFile(p)).sorted().toList();
            }
        } else {
            files = List.of(dir.toAbsolutePath());
        }
        int unformatted = 0, broken = 0;
        for (Path f : files) {
            String name = base.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
            String text = Files.readString(f, StandardCharsets.UTF_8);
            PolicyFormatter.Result r = PolicyFormatter.format(name, text);
            if (r.text().isEmpty()) {
                broken++;
                new SourceLines(base).render(r.diagnostics()).forEach(System.out::println);
                continue;
            }
            if (!r.text().get().equals(text)) {
                unformatted++;
                if (check) {
                    System.out.println("not formatted: " + name);
                } else {
                    Files.writeString(f, r.text().get(), StandardCharsets.UTF_8);
                    System.out.println("formatted: " + name);
                }
            }
        }
        if (broken > 0) return 1;
        return check && unformatted > 0 ? 1 : 0;
    }
}
