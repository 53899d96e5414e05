package dev.weir.appliance.cli.audit;

import dev.weir.audit.chain.ChainFiles;
import dev.weir.audit.format.Readable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code weir audit tail [DIR|FILE]}: the last events, one readable line each; {@code -f} follows. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the last audit events readably (ECS and OCSF JSON are summarised; other formats shown as written).")
public final class AuditTailCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", defaultValue = "audit", arity = "0..1",
            description = "An audit directory or one audit file (default: ./audit).")
    Path path;

    @Option(names = {"-n", "--lines"}, defaultValue = "20", description = "How many events (default 20).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they are written.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        List<Path> files = files();
        if (files.isEmpty()) {
            System.out.println("no audit files in " + path);
            return 1;
        }
        Deque<String> last = new ArrayDeque<>();
        for (Path f : files) {
            try (Stream<String> s = Files.lines(f, StandardCharsets.UTF_8)) {
                s.forEach(l -> {
                    last.addLast(l);
                    if (last.size() > lines) last.removeFirst();
                });
            }
        }
        for (String l : last) System.out.println(Readable.line(l));
        System.out.flush();
        if (!follow) return 0;
        Path current = files.getLast();
        long pos = Files.size(current);
        while (!Thread.currentThread().isInterrupted()) {
            pos = printFrom(current, pos);
            List<Path> now = files();
            if (!now.isEmpty() && !now.getLast().equals(current)) {
                printFrom(current, pos);
                current = now.getLast();
                pos = 0;
                continue;
            }
            Thread.sleep(200);
        }
        return 0;
    }

    /** Prints the complete lines after byte {@code pos}; returns the position after the last of them. */
    private long printFrom(Path file, long pos) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() <= pos) return pos;
            byte[] b = new byte[(int) Math.min(raf.length() - pos, 16 << 20)];
            raf.seek(pos);
            raf.readFully(b);
            int end = b.length;
            while (end > 0 && b[end - 1] != '\n') end--;
            if (end == 0) return pos;
            for (String l : new String(b, 0, end - 1, StandardCharsets.UTF_8).split("\n", -1)) {
                System.out.println(Readable.line(l));
            }
            System.out.flush();
            return pos + end;
        }
    }

    private List<Path> files() throws IOException {
        if (Files.isRegularFile(path)) return List.of(path);
        List<Path> out = new ArrayList<>();
        for (long n : ChainFiles.logNumbers(path)) out.add(path.resolve(ChainFiles.logName(n)));
        if (out.isEmpty() && Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
