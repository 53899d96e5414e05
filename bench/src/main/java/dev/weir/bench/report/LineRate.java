package dev.weir.bench.report;

/**
 * What "100 Gb/s line rate" means for weir, measured: the bytes weir moved for its clients
 * (requests in plus responses out, HTTP heads and bodies as on the wire) per second of CPU
 * that weir's process used, on Scan-page traffic at saturation, and the cores that rate
 * implies for 100 Gb/s (12.5 GB/s of requests and responses together). Upstream bytes
 * (weir to the store) are not counted: they are the same traffic a second time.
 */
public record LineRate(String scenario, String pages, double seconds, long bytesIn, long bytesOut, double weirCpuSeconds,
                       double requestsPerSecond, double gigabytesPerSecondPerCore, double coresFor100Gbps) {
    /** 100 Gb/s in bytes per second. */
    public static final double LINE_RATE_BYTES_PER_SECOND = 100e9 / 8;

    /** @param pages the Scan pages measured, as the report names them ("25 items", "up to 1 MB") */
    public static LineRate of(String scenario, String pages, double seconds, long bytesIn, long bytesOut, double weirCpuSeconds,
                              double requestsPerSecond) {
        double perCore = weirCpuSeconds > 0 ? (bytesIn + bytesOut) / weirCpuSeconds : 0;
        return new LineRate(scenario, pages, seconds, bytesIn, bytesOut, Math.round(weirCpuSeconds * 1000) / 1000.0,
                requestsPerSecond, Math.round(perCore / 1e9 * 10_000) / 10_000.0,
                perCore > 0 ? Math.round(LINE_RATE_BYTES_PER_SECOND / perCore * 10) / 10.0 : 0);
    }

    /** "weir-demo-audit-async, pages of 25 items: 0.12 GB/s per core (in + out) → 104 cores for 100 Gb/s". */
    public String sentence() {
        String what = scenario + ", Scan pages of " + pages;
        if (gigabytesPerSecondPerCore <= 0) return what + ": no measurement (weir used no CPU or moved no bytes)";
        double kbPerPage = requestsPerSecond > 0 ? bytesOut / seconds / requestsPerSecond / 1000 : 0;
        return String.format("%s: %.3f GB/s per core of weir CPU (requests in + responses out, %,.0f pages/s of %,.0f KB on average)"
                + " → %.1f cores for 100 Gb/s", what, gigabytesPerSecondPerCore, requestsPerSecond, kbPerPage, coresFor100Gbps);
    }
}
