package dev.weir.bench.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a server's time went, from a JFR recording: execution samples (threads running Java
 * code) within given time windows, summarised by top frame (self time), by any frame on the
 * stack (total time), and by the first weir frame from the top; plus native-method samples
 * (threads in JNI, e.g. RocksDB, or waiting in epoll) by top frame.
 */
public record JfrSummary(long javaSamples, long nativeSamples, Map<String, Long> topSelf, Map<String, Long> topTotal,
                         Map<String, Long> topWeir, Map<String, Long> topNative) {
    /** A time window to count samples in. */
    public record Window(Instant start, Instant end) {
        boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    public static JfrSummary read(Path recording, List<Window> windows, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> weir = new HashMap<>();
        Map<String, Long> nativeTop = new HashMap<>();
        long java = 0;
        long nat = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                boolean execution = type.equals("jdk.ExecutionSample");
                if (!execution && !type.equals("jdk.NativeMethodSample")) continue;
                if (windows.stream().noneMatch(w -> w.contains(e.getStartTime()))) continue;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) continue;
                List<RecordedFrame> frames = stack.getFrames();
                if (!execution) {
                    nat++;
                    nativeTop.merge(name(frames.getFirst()) + " <- " + firstNonJdk(frames), 1L, Long::sum);
                    continue;
                }
                java++;
                self.merge(name(frames.getFirst()), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) if (seen.add(name(f))) total.merge(name(f), 1L, Long::sum);
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("dev.weir.")) {
                        weir.merge(name(f), 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        return new JfrSummary(java, nat, top(self, top), top(total, top), top(weir, top), top(nativeTop, top));
    }

    private static String firstNonJdk(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) return name(f);
        }
        return "?";
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName()
                + " (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(n, sorted.size()))) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** The summary as text, counts with their share of the samples. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        section(sb, "top frames, self (of " + javaSamples + " Java execution samples)", topSelf, javaSamples);
        section(sb, "top frames, total (on the stack)", topTotal, javaSamples);
        section(sb, "first weir frame from the top", topWeir, javaSamples);
        section(sb, "native-method samples (" + nativeSamples + "; includes threads idle in epoll/park)", topNative,
                nativeSamples);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Long> counts, long of) {
        sb.append("  ").append(title).append('\n');
        counts.forEach((k, v) -> sb.append(String.format("    %5.1f%%  %6d  %s%n", of == 0 ? 0 : 100.0 * v / of, v, k)));
    }
}
