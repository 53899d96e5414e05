package dev.weir.bench.report;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlameGraphTest {
    private static final String FOLDED = """
            Thread.run;Loop.run;Handler.read;Json.parse 30
            Thread.run;Loop.run;Handler.read;Sig.verify;Digest.update 50
            Thread.run;Loop.run;Handler.read 10
            Thread.run;Loop.run;Tiny.frame 1
            Thread.run;Loop.run;Odd<T>.call&"x" 9
            not a folded line
            Thread.run;Loop.run;Handler.read -3
            """;

    private record Bar(double x, double width, int y, String title) {}

    private static List<Bar> bars(String svg) {
        Matcher m = Pattern.compile("<g><title>([^<]*)</title><rect x=\"([0-9.]+)\" y=\"([0-9]+)\" width=\"([0-9.]+)\"").matcher(svg);
        List<Bar> out = new ArrayList<>();
        while (m.find()) out.add(new Bar(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(4)), Integer.parseInt(m.group(3)), m.group(1)));
        return out;
    }

    @Test
    void widthsAreSharesOfTheSamplesAndCalleesSitUnderTheirCallers() throws Exception {
        FlameGraph g = FlameGraph.fromFolded(FOLDED);
        assertEquals(100, g.samples(), "malformed and non-positive lines are skipped");
        String svg = g.svg(1000, 0.02);
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));  // well-formed, names escaped
        List<Bar> bars = bars(svg);
        assertTrue(bars.getFirst().title().startsWith("all (100 samples"), bars.getFirst().title());
        Bar trunk = bars.get(1);
        assertTrue(trunk.title().startsWith("Thread.run … Loop.run (2 frames) (100 samples"), "a chain of single callees is one bar: "
                + trunk.title());
        assertEquals(16, trunk.y());
        Bar read = find(bars, "Handler.read");
        Bar verify = find(bars, "Sig.verify … Digest.update (2 frames)");
        Bar parse = find(bars, "Json.parse");
        assertEquals(900 * 1000 / 1000.0 - 0.5, read.width(), 0.11, "90 of 100 samples");
        assertTrue(read.title().contains("(90 samples, 90.0%)"), read.title());
        assertEquals(read.y() + 16, verify.y(), "a callee is one row below its caller");
        assertTrue(verify.x() <= parse.x(), "the wider callee comes first");
        assertTrue(verify.x() >= read.x() && parse.x() + parse.width() <= read.x() + read.width() + 0.01,
                "callees lie within their caller's span");
        assertTrue(svg.contains("Odd&lt;T&gt;.call&amp;&quot;x&quot;"), "names are escaped");
        assertFalse(svg.contains("Tiny.frame"), "1% is below the 2% cut-off");
    }

    @Test
    void noSamplesSaysSo() {
        assertTrue(FlameGraph.fromFolded("").svg(500, 0.01).contains("no samples"));
    }

    @Test
    void theReportShowsEachProfile() {
        Profile p = new Profile("weir-allow-all", "where the time goes <by step>", FlameGraph.fromFolded(FOLDED));
        String html = HtmlReport.render(HtmlReportTest.report(), List.of(p));
        assertTrue(html.contains("<h3>weir-allow-all</h3>"));
        assertTrue(html.contains("where the time goes &lt;by step&gt;"));
        assertTrue(html.contains("class=\"flame\""));
        assertFalse(html.contains("<script"));
    }

    private static Bar find(List<Bar> bars, String name) {
        return bars.stream().filter(b -> b.title().startsWith(name + " (")).findFirst().orElseThrow(() -> new AssertionError(name));
    }
}
