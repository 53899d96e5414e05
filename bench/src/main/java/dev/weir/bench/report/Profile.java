package dev.weir.bench.report;

/**
 * One weir scenario's JFR profile over its measured windows, for the report's "where the time
 * goes" section: the summary by step and top frames ({@code <scenario>-jfr.txt}) and the flame
 * graph of its Java samples ({@code <scenario>-jfr.folded}).
 */
public record Profile(String scenario, String summary, FlameGraph flame) {}
