package dev.weir.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A flame graph (drawn as an icicle: callers above their callees) of stack samples in the folded
 * form ({@code outer;inner;innermost count} per line, as {@code ./weir bench --jfr} writes them),
 * as inline SVG for the report: no script, each frame's name, samples and share in its
 * {@code <title>}, so a browser shows them on hover. Frames narrower than the cut-off are left
 * out (their time stays in their caller's width), and a chain of frames that each call one
 * other frame and nothing else (the thread's entry, the event loop's dispatch, Netty's
 * handler hand-offs) is drawn as one bar, so that deep framework stacks do not push the
 * interesting frames off the page.
 */
public final class FlameGraph {
    private static final int ROW = 16;
    private static final String[] WARM = {"#e8674a", "#ee8a3c", "#f0a63c", "#e3b54a", "#d9774f", "#f29a6b", "#e5c16a", "#db8f5a"};

    private static final class Node {
        final String name;
        long samples;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        Node child(String n) {
            return children.computeIfAbsent(n, Node::new);
        }
    }

    private final Node root = new Node("all");

    private FlameGraph() {}

    /** Reads folded stacks; lines that are not {@code stack count} are skipped. */
    public static FlameGraph fromFolded(String folded) {
        FlameGraph g = new FlameGraph();
        for (String line : folded.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) continue;
            long n;
            try {
                n = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            if (n <= 0) continue;
            Node at = g.root;
            at.samples += n;
            for (String frame : line.substring(0, space).split(";")) {
                at = at.child(frame);
                at.samples += n;
            }
        }
        return g;
    }

    /** All samples. */
    public long samples() {
        return root.samples;
    }

    /**
     * The graph as an SVG element {@code width} pixels wide, leaving out frames below
     * {@code minShare} (0.002: a fifth of a percent) of all samples.
     */
    public String svg(int width, double minShare) {
        if (root.samples == 0) return "<p class=\"na\">no samples</p>\n";
        List<String> rects = new ArrayList<>();
        int[] depth = {0};
        long min = Math.max(1, (long) Math.ceil(root.samples * minShare));
        rects.add(rect(0, 0, width, "all", root.samples, root.samples, "#c9c9c9"));
        draw(root, 0, width, 1, min, rects, depth);
        int height = (depth[0] + 1) * ROW;
        StringBuilder s = new StringBuilder(rects.size() * 160);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" class=\"flame\">\n");
        for (String r : rects) s.append(r);
        return s.append("</svg>\n").toString();
    }

    /** Draws {@code node}'s children side by side below it, widest first, in the node's span. */
    private void draw(Node node, double x, double w, int level, long min, List<String> rects, int[] depth) {
        List<Node> kids = new ArrayList<>(node.children.values());
        kids.sort(Comparator.comparingLong((Node k) -> k.samples).reversed().thenComparing(k -> k.name));
        double at = x;
        for (Node k : kids) {
            double kw = w * k.samples / node.samples;
            if (k.samples >= min) {
                // A chain of frames with one callee each and no time of their own is one bar.
                Node last = k;
                int frames = 1;
                while (last.children.size() == 1 && last.children.values().iterator().next().samples == last.samples) {
                    last = last.children.values().iterator().next();
                    frames++;
                }
                String name = frames == 1 ? k.name : k.name + " … " + last.name + " (" + frames + " frames)";
                rects.add(rect(at, level * ROW, kw, name, k.samples, root.samples, colour(last.name)));
                depth[0] = Math.max(depth[0], level);
                draw(last, at, kw, level + 1, min, rects, depth);
            }
            at += kw;
        }
    }

    private static String rect(double x, int y, double w, String name, long samples, long all, String fill) {
        String share = String.format(Locale.ROOT, "%.1f%%", 100.0 * samples / all);
        StringBuilder r = new StringBuilder(160);
        r.append("<g><title>").append(esc(name)).append(" (").append(samples).append(" samples, ").append(share)
                .append(")</title><rect x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"")
                .append(fmt(Math.max(w - 0.5, 0.5))).append("\" height=\"").append(ROW - 1).append("\" fill=\"").append(fill)
                .append("\"/>");
        // A label only where it fits: about 7 pixels per character at the report's font size.
        int chars = (int) ((w - 6) / 7);
        if (chars >= 3) {
            String label = name.length() <= chars ? name : name.substring(0, chars - 1) + "…";
            r.append("<text x=\"").append(fmt(x + 3)).append("\" y=\"").append(y + ROW - 4).append("\" font-size=\"11\">")
                    .append(esc(label)).append("</text>");
        }
        return r.append("</g>\n").toString();
    }

    /** A warm colour chosen by the frame's class, so one class keeps one colour across the graph. */
    private static String colour(String frame) {
        int dot = frame.lastIndexOf('.');
        String type = dot < 0 ? frame : frame.substring(0, dot);
        return WARM[Math.floorMod(type.hashCode(), WARM.length)];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
