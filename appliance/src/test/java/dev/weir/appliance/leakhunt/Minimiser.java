package dev.weir.appliance.leakhunt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging (Zeller's ddmin) over the requests of a failing sequence: the smallest list
 * of requests (in their order) that still fails, each candidate re-run from the seeded stores.
 * Bounded by a number of runs, so a slow failure cannot stall the suite.
 */
final class Minimiser {
    private Minimiser() {}

    static List<Integer> minimise(List<Integer> failing, Predicate<List<Integer>> fails, int maxRuns) {
        List<Integer> current = failing;
        int n = 2;
        int runs = 0;
        while (current.size() >= 2 && runs < maxRuns) {
            List<List<Integer>> chunks = split(current, n);
            boolean reduced = false;
            for (List<Integer> chunk : chunks) {
                if (runs++ >= maxRuns) break;
                if (fails.test(chunk)) {
                    current = chunk;
                    n = 2;
                    reduced = true;
                    break;
                }
            }
            if (!reduced && n > 2) {
                for (List<Integer> chunk : chunks) {
                    if (runs++ >= maxRuns) break;
                    List<Integer> rest = new ArrayList<>(current);
                    rest.removeAll(chunk);
                    if (fails.test(rest)) {
                        current = rest;
                        n = Math.max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }
            if (!reduced) {
                if (n >= current.size()) break;
                n = Math.min(n * 2, current.size());
            }
        }
        // Last pass: drop single requests while the failure stays.
        for (int i = current.size() - 1; i >= 0 && current.size() > 1 && runs < maxRuns; i--) {
            List<Integer> rest = new ArrayList<>(current);
            rest.remove(i);
            runs++;
            if (fails.test(rest)) current = rest;
        }
        return current;
    }

    private static List<List<Integer>> split(List<Integer> list, int n) {
        List<List<Integer>> out = new ArrayList<>();
        int size = list.size();
        for (int i = 0; i < n; i++) {
            int from = i * size / n, to = (i + 1) * size / n;
            if (from < to) out.add(new ArrayList<>(list.subList(from, to)));
        }
        return out;
    }
}
