package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The document paths of one projection or one update, in the order written, and DynamoDB's
 * checks that no two overlap (one is the other or lies inside it) or conflict (they agree up
 * to an element that is a name in one and an index in the other).
 *
 * <p>Each path is checked against all earlier ones by walking a trie of them, in time linear
 * in the path's length; comparing it with each earlier path was quadratic in their number: a
 * 4 KB ProjectionExpression of 2,000 repeated names took seconds, building a message for
 * each of the two million pairs. The problems reported are exactly those of the pairwise
 * check: of each kind, the first pair met when each path is compared with the earlier ones
 * in order, its earlier path named first. Messages are only built for the reports kept.
 */
final class DistinctPaths {
    private final Problems problems;
    private final List<Path> paths = new ArrayList<>();
    private final Node root = new Node();

    /** One element of the earlier paths' common prefixes; every index is a position in {@link #paths}. */
    private static final class Node {
        final Map<PathElement, Node> children = new HashMap<>();
        /** The first earlier path that ends here. */
        int firstEnding = Integer.MAX_VALUE;
        /** The first earlier path that ends here or below. */
        int firstBelow = Integer.MAX_VALUE;
        /** The first earlier path that goes on from here with a name, and with an index. */
        int firstNameChild = Integer.MAX_VALUE;
        int firstIndexChild = Integer.MAX_VALUE;
    }

    DistinctPaths(Problems problems) {
        this.problems = problems;
    }

    List<Path> paths() {
        return paths;
    }

    /** Records the first overlap and the first conflict between {@code path} and the earlier paths, then adds it. */
    void add(Path path) {
        List<PathElement> elements = path.elements();
        int overlap = Integer.MAX_VALUE;
        int conflict = Integer.MAX_VALUE;
        Node node = root;
        for (int d = 0; d < elements.size() && node != null; d++) {
            if (d > 0) overlap = Math.min(overlap, node.firstEnding);      // an earlier path is a prefix of this one
            PathElement e = elements.get(d);
            conflict = Math.min(conflict, e instanceof PathElement.Name ? node.firstIndexChild : node.firstNameChild);
            node = node.children.get(e);
        }
        if (node != null) overlap = Math.min(overlap, node.firstBelow);   // this path is one, or a prefix, of an earlier one
        report(Problems.Kind.OVERLAP, overlap, path, "overlap");
        report(Problems.Kind.CONFLICT, conflict, path, "conflict");
        insert(path);
    }

    private void report(Problems.Kind kind, int earlier, Path path, String verb) {
        if (earlier == Integer.MAX_VALUE || problems.has(kind)) return;
        problems.report(kind, "Two document paths " + verb + " with each other; must remove or rewrite one of these paths; "
                + "path one: " + paths.get(earlier).toMessageString() + ", path two: " + path.toMessageString());
    }

    private void insert(Path path) {
        int index = paths.size();
        paths.add(path);
        Node node = root;
        for (PathElement e : path.elements()) {
            node.firstBelow = Math.min(node.firstBelow, index);
            if (e instanceof PathElement.Name) node.firstNameChild = Math.min(node.firstNameChild, index);
            else node.firstIndexChild = Math.min(node.firstIndexChild, index);
            node = node.children.computeIfAbsent(e, k -> new Node());
        }
        node.firstBelow = Math.min(node.firstBelow, index);
        node.firstEnding = Math.min(node.firstEnding, index);
    }
}
