package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.bench.report.StreamFigures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The {@code stream-read} scenario for one endpoint (docs/benchmarks.md): a first pass over the
 * whole stream whose records are checked against what the endpoint's view must show, warm-up
 * passes until two in a row agree on CPU per record within 10% (at least {@code warmupMin}, at
 * most {@code warmupMax}), then passes until {@code measure} has passed; every pass must return
 * as many records as the first.
 */
final class StreamScenario {
    /** What the caller of an endpoint sees of the stream: every record whole, or the demo policy's view. */
    enum View {
        ALL("whole"), DEMO("demo view");

        final String label;

        View(String label) {
            this.label = label;
        }
    }

    /** An endpoint to read the stream through, the processes whose CPU it costs, and what its caller may see. */
    record Target(String name, Endpoint endpoint, List<ServerProcess> cpu, View view) {}

    private StreamScenario() {}

    /**
     * @param streamRecords the records the stream holds
     * @param expected      the records a pass must return through this target
     */
    static StreamFigures measure(Target t, String streamArn, long streamRecords, long expected, Duration warmupMin,
                                 Duration warmupMax, Duration measure, ObjectMapper mapper, Consumer<String> say)
            throws InterruptedException {
        try (StreamReader reader = StreamReader.open(t.endpoint(), mapper, streamArn)) {
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            StreamReader.Pass first = reader.pass(record -> {
                String problem = check(record, t.view());
                if (problem != null && wrong.size() < 3) wrong.add(problem);
            });
            if (!wrong.isEmpty()) return StreamFigures.failed(t.name(), t.view().label, "a record is not as the view shows it: " + wrong.peek());
            if (first.records() != expected) {
                return StreamFigures.failed(t.name(), t.view().label, "the first pass returned " + first.records() + " records, not "
                        + expected);
            }
            List<Long> warmup = new ArrayList<>();
            long start = System.nanoTime();
            boolean steady;
            double jitShare;
            while (true) {
                List<CpuTime> before = cpu(t);
                long jitBefore = jit(t);
                reader.pass(null);
                long used = total(t, before);
                jitShare = used > 0 ? (double) (jit(t) - jitBefore) / used : 0;
                warmup.add(Math.round(used / (double) streamRecords * 100));
                int n = warmup.size();
                long elapsed = System.nanoTime() - start;
                steady = n >= 2 && jitShare <= AllScenarios.JIT_SETTLED
                        && Math.abs(warmup.get(n - 1) - warmup.get(n - 2)) <= 0.1 * warmup.get(n - 1);
                if (elapsed >= warmupMax.toNanos() || (steady && elapsed >= warmupMin.toNanos())) break;
            }
            say.accept(String.format("  stream     %-22s warm-up %.0f s, %d passes, CPU µs/record by pass %s, JIT share at the end %.0f%%%s",
                    t.name(), (System.nanoTime() - start) / 1e9, warmup.size(),
                    warmup.stream().map(v -> String.format("%.2f", v / 100.0)).toList(), 100 * jitShare,
                    steady ? "" : " (NOT steady)"));

            List<CpuTime> before = cpu(t);
            CpuTime clientBefore = ProcCpu.of(ProcessHandle.current().pid(), false);
            long t0 = System.nanoTime();
            int passes = 0;
            long requests = 0;
            String problem = steady ? null : "not steady after the warm-up (JIT compilation may be counted)";
            while (System.nanoTime() - t0 < measure.toNanos()) {
                StreamReader.Pass p = reader.pass(null);
                passes++;
                requests += p.requests();
                if (p.records() != expected && (problem == null || !problem.startsWith("a pass"))) {
                    problem = "a pass returned " + p.records() + " records, not " + expected;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<CpuTime> after = cpu(t);
            double clientCores = ProcCpu.of(ProcessHandle.current().pid(), false).minus(clientBefore).totalMicros() / (seconds * 1e6);
            long covered = streamRecords * passes;
            Map<String, Double> perRecord = new LinkedHashMap<>();
            for (int i = 0; i < t.cpu().size(); i++) {
                perRecord.put(t.cpu().get(i).name(),
                        Math.round(after.get(i).minus(before.get(i)).totalMicros() / (double) covered * 100) / 100.0);
            }
            return new StreamFigures(t.name(), t.view().label, streamRecords, expected, reader.shards(), requests / passes, passes,
                    Math.round(seconds * 100) / 100.0, Math.round(covered / seconds * 10) / 10.0,
                    Math.round(clientCores * 100) / 100.0, perRecord, null, null, problem);
        } catch (RuntimeException e) {
            return StreamFigures.failed(t.name(), t.view().label, "failed: " + e.getMessage());
        }
    }

    /** The records of the stream's writes the demo view shows: those of people of region eu (every {@code REGIONS.length}-th). */
    static long demoVisible(StreamTable table) {
        long n = 0;
        int persons = table.persons();
        for (int i = 0; i < persons; i++) if (i % PeopleWorkload.REGIONS.length == 0) n++;
        for (int i = 0; i < table.writes() - persons; i++) if (i % PeopleWorkload.REGIONS.length == 0) n++;
        return n;
    }

    /**
     * Why a record is not as the view must show it (null: it is). Whole: a NewImage with the
     * salary. The demo view (AllScenarios.DEMO_POLICY): every image of region eu, the SSN
     * masked to its last four digits, the e-mail hashed, no salary, tags, notes or street.
     */
    static String check(JsonNode record, View view) {
        JsonNode d = record.path("dynamodb");
        if (!d.path("Keys").path("id").path("S").isTextual()) return "no key: " + record;
        if (!d.has("NewImage")) return "no NewImage: " + record;
        if (view == View.ALL) return d.path("NewImage").has("salary") ? null : "the whole NewImage lacks salary: " + record;
        for (String image : List.of("NewImage", "OldImage")) {
            JsonNode i = d.path(image);
            if (i.isMissingNode()) continue;
            boolean shown = "eu".equals(i.path("region").path("S").asText())
                    && i.path("ssn").path("S").asText().matches("\\*{4}[0-9]{4}")
                    && i.path("email").path("S").asText().matches("bench:[0-9a-f]{64}")
                    && !i.has("salary") && !i.has("tags") && !i.has("notes")
                    && i.path("address").path("M").has("city") && !i.path("address").path("M").has("street");
            if (!shown) return image + " is not the demo view's: " + record;
        }
        return null;
    }

    private static List<CpuTime> cpu(Target t) {
        return t.cpu().stream().map(ServerProcess::cpuTime).toList();
    }

    private static long jit(Target t) {
        return t.cpu().stream().mapToLong(p -> p.jitCpuTime().totalMicros()).sum();
    }

    private static long total(Target t, List<CpuTime> before) {
        long sum = 0;
        for (int i = 0; i < t.cpu().size(); i++) sum += t.cpu().get(i).cpuTime().minus(before.get(i)).totalMicros();
        return sum;
    }
}
