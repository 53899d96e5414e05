package dev.weir.bench.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code ./weir bench} run measured, as written to {@code results.json} and
 * drawn in {@code report.html}: the machine, the options, each scenario's figures, the
 * comparisons between them, the latency each proxy adds at one connection, the line-rate statement, the stream scenario's
 * figures, notes (warnings), and every measured
 * phase in full.
 */
public record BenchReport(String startedAt, String finishedAt, boolean quick, Map<String, Object> machine,
                          Map<String, Object> options, String mix, double fixedRate, String fixedRateChosenBy,
                          List<ScenarioFigures> scenarios, List<Ratio> ratios, List<AddedLatency> addedLatency,
                          List<LineRate> lineRate, List<StreamFigures> streams,
                          List<String> notes, List<?> phases) {
    public BenchReport {
        scenarios = List.copyOf(scenarios);
        ratios = List.copyOf(ratios);
        addedLatency = List.copyOf(addedLatency);
        lineRate = List.copyOf(lineRate);
        streams = List.copyOf(streams);
        notes = List.copyOf(notes);
        phases = List.copyOf(phases);
    }
}
