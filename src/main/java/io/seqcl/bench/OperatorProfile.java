package io.seqcl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-operator totals of a libtorch profiler trace (the Chrome trace JSON written by
 * {@code JniUtils.stopProfile}, {@code seqcl bench-epoch --profile}): calls, self time (an operator's duration less
 * that of the operators it called on the same thread) and total time, by operator name.
 *
 * @param operators the operators, largest self time first
 * @param traced the summed self time of all operators, microseconds
 */
public record OperatorProfile(List<Operator> operators, double traced) {

    /**
     * One operator's totals.
     *
     * @param name libtorch's operator name, e.g. {@code aten::mm}
     * @param calls how often it ran
     * @param selfMicros time inside it but not inside an operator it called, microseconds
     * @param totalMicros time inside it, including its callees (calls nested in a call of the same name count once)
     */
    public record Operator(String name, long calls, double selfMicros, double totalMicros) {
    }

    /**
     * Reads a trace file.
     *
     * @param trace the Chrome trace JSON ({@code {"traceEvents": [...]}} or a bare event array)
     * @return the totals
     * @throws IOException if the file cannot be read or is not a trace
     */
    public static OperatorProfile read(Path trace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        if (!events.isArray()) {
            throw new IOException(trace + ": no traceEvents array (not a Chrome trace)");
        }
        List<double[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
                continue;
            }
            names.add(e.path("name").asText());
            spans.add(new double[] {e.path("ts").asDouble(), e.path("dur").asDouble(), e.path("tid").asDouble(),
                    e.path("pid").asDouble(), names.size() - 1});
        }
        return of(names, spans);
    }

    /**
     * Totals of complete events.
     *
     * @param names event names, by index
     * @param spans per event {@code {start, duration, thread, process, name index}}
     * @return the totals
     */
    static OperatorProfile of(List<String> names, List<double[]> spans) {
        spans.sort(Comparator.<double[]>comparingDouble(s -> s[3]).thenComparingDouble(s -> s[2])
                .thenComparingDouble(s -> s[0]).thenComparingDouble(s -> -s[1]));
        Map<String, double[]> acc = new HashMap<>();
        Deque<double[]> open = new ArrayDeque<>();
        double[] childTime = new double[spans.size()];
        int idx = 0;
        Map<double[], Integer> position = new java.util.IdentityHashMap<>();
        for (double[] s : spans) {
            position.put(s, idx++);
        }
        for (double[] s : spans) {
            while (!open.isEmpty() && (open.peek()[2] != s[2] || open.peek()[3] != s[3]
                    || open.peek()[0] + open.peek()[1] <= s[0])) {
                open.pop();
            }
            if (!open.isEmpty()) {
                childTime[position.get(open.peek())] += s[1];
            }
            String name = names.get((int) s[4]);
            boolean nestedInSame = open.stream().anyMatch(p -> names.get((int) p[4]).equals(name));
            double[] a = acc.computeIfAbsent(name, n -> new double[3]);
            a[0]++;
            if (!nestedInSame) {
                a[2] += s[1];
            }
            open.push(s);
        }
        double traced = 0;
        for (double[] s : spans) {
            double self = s[1] - childTime[position.get(s)];
            acc.get(names.get((int) s[4]))[1] += self;
            traced += self;
        }
        List<Operator> ops = new ArrayList<>();
        acc.forEach((n, a) -> ops.add(new Operator(n, (long) a[0], a[1], a[2])));
        ops.sort(Comparator.comparingDouble(Operator::selfMicros).reversed().thenComparing(Operator::name));
        return new OperatorProfile(List.copyOf(ops), traced);
    }

    /**
     * A text table of the largest operators.
     *
     * @param rows how many operators
     * @param steps steps in the trace (per-step columns divide by it)
     * @return the table, one operator per line, with the calls and self time of all operators in the first line
     */
    public String table(int rows, int steps) {
        StringBuilder sb = new StringBuilder();
        long calls = operators.stream().mapToLong(Operator::calls).sum();
        sb.append(String.format(Locale.ROOT, "  all operators: %.1f ms self time and %.0f calls per step%n",
                traced / 1000 / steps, calls / (double) steps));
        sb.append(String.format(Locale.ROOT, "  %-44s %9s %12s %8s %12s%n", "operator", "calls/step",
                "self ms/step", "self %", "total ms/step"));
        for (Operator o : operators.subList(0, Math.min(rows, operators.size()))) {
            sb.append(String.format(Locale.ROOT, "  %-44s %9.1f %12.2f %7.1f%% %12.2f%n", o.name(),
                    o.calls() / (double) steps, o.selfMicros() / 1000 / steps, 100 * o.selfMicros() / traced,
                    o.totalMicros() / 1000 / steps));
        }
        return sb.toString();
    }
}
