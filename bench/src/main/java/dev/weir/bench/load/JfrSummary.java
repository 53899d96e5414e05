package dev.weir.bench.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
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
                         Map<String, Long> topWeir, Map<String, Long> topNative, Map<String, Long> stages) {
    /**
     * weir's steps, each named by a frame that is on the stack while the step runs (class and
     * method, any package): a sample counts for the first step in this order whose frame it holds,
     * so a step's share includes what it calls. The last ones are the HTTP codec, the pool, the
     * futures and the pipeline around the steps.
     */
    static final List<Map.Entry<String, List<String>>> STAGES = List.of(
            Map.entry("parse the request (JSON, expressions)", List.of("RequestParser.parse")),
            Map.entry("identify (SigV4 verify)", List.of("Identifier.identify")),
            Map.entry("audit event on the event loop", List.of("Auditor.")),
            Map.entry("sign and build the upstream request", List.of("SignedRequests.encode", "UpstreamClient.request")),
            Map.entry("decide and plan", List.of("Decider.decide", "Planner.", "ForwardBody.of", "ReadPlanner.", "Firewall.itemKeys",
                    "RestrictedAnswers.")),
            Map.entry("answer filtering and paging", List.of("ResponseFilter.", "Pager", "PagedRead.", "StoreRead.", "StreamAnswer.")),
            Map.entry("audit writer and shipper threads", List.of("AuditPipeline.", "Shipper.", "Spool.", "FileSink.")),
            Map.entry("HTTP encode (client answers, upstream requests)", List.of("HttpObjectEncoder.", "AnswerEncoder.", "Answer.encode")),
            // The framers' own reading only (their channelRead and scan hand each message on, so
            // everything weir does with it runs under them).
            Map.entry("HTTP decode (client requests, upstream answers)", List.of("HttpFramingGuard.scan", "HttpFramingGuard.checkHead",
                    "HttpFramingGuard.chunkSizeByte", "HttpFramingGuard.trailerByte", "HttpFramingGuard.latin1",
                    "ResponseFramer.readHead", "ResponseFramer.lineByte", "BodyBytes.", "HttpObjectDecoder.", "MessageAggregator.")),
            Map.entry("upstream connection pool", List.of("ChannelPool.", "LoopPool.", "UpstreamClient.send", "UpstreamPool")),
            Map.entry("future glue (completion stages)", List.of("CompletableFuture.")),
            // A socket read is the root of everything a loop does inline, so this is what is left
            // under one: Netty's pipeline, weir's framing checks, buffers. (System calls themselves
            // are native samples, counted apart.)
            Map.entry("Netty pipeline and event loop (the rest under a socket read)", List.of("SocketChannel",
                    "AbstractNioByteChannel", "AbstractEpollStreamChannel", "IoUring")));

    /** The step a sample's frames ({@link #name} form, top first) belong to; "other" for none. */
    static String stage(List<String> frames) {
        for (Map.Entry<String, List<String>> s : STAGES) {
            for (String f : frames) {
                String classAndMethod = f.substring(0, f.indexOf(' ') < 0 ? f.length() : f.indexOf(' '));
                for (String marker : s.getValue()) if (classAndMethod.contains(marker)) return s.getKey();
            }
        }
        return "other (event loop, GC barriers, JDK)";
    }

    /** A time window to count samples in. */
    public record Window(Instant start, Instant end) {
        boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    public static JfrSummary read(Path recording, List<Window> windows, int top) throws IOException {
        return read(recording, windows, top, null);
    }

    /**
     * As {@link #read(Path, List, int)}, also writing the Java samples' stacks in the folded form
     * flame-graph tools read (speedscope, flamegraph.pl, async-profiler's converter): one line per
     * distinct stack, frames from the thread's root to the top joined by {@code ;}, then its count.
     *
     * @param folded where to write them; null for nowhere
     */
    public static JfrSummary read(Path recording, List<Window> windows, int top, Path folded) throws IOException {
        Map<String, Long> stacks = new HashMap<>();
        Map<String, Long> stages = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> st : STAGES) stages.put(st.getKey(), 0L);
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
                List<String> names = new ArrayList<>(frames.size());
                for (RecordedFrame f : frames) names.add(name(f));
                stages.merge(stage(names), 1L, Long::sum);
                if (folded != null) {
                    StringBuilder line = new StringBuilder();
                    for (int i = names.size() - 1; i >= 0; i--) {
                        if (!line.isEmpty()) line.append(';');
                        String n = names.get(i);
                        line.append(n, 0, n.indexOf(' ') < 0 ? n.length() : n.indexOf(' '));
                    }
                    stacks.merge(line.toString(), 1L, Long::sum);
                }
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
        if (folded != null) {
            StringBuilder out = new StringBuilder();
            stacks.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
            Files.writeString(folded, out);
        }
        return new JfrSummary(java, nat, top(self, top), top(total, top), top(weir, top), top(nativeTop, top), stages);
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
        Map<String, Long> byShare = new LinkedHashMap<>();
        stages.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> byShare.put(e.getKey(), e.getValue()));
        section(sb, "where the time goes, by step (of " + javaSamples + " Java execution samples)", byShare, javaSamples);
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
