package dev.chunkmesh.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CPU time of this JVM's live threads, grouped by name with digits dropped (vert.x-eventloop-thread-N, ...): where a bench's time went. */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** Nanoseconds of CPU by thread group, for threads alive now. */
    static Map<String, Long> byGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                out.merge(info.getThreadName().replaceAll("\\d+", "N"), cpu, Long::sum);
            }
        }
        return out;
    }

    /** The groups that used at least 10 ms since {@code before}, largest first, as "name 0.42 s". */
    static String since(Map<String, Long> before) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        byGroup().forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d >= 10_000_000L) {
                used.add(Map.entry(k, d));
            }
        });
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<String> parts = new ArrayList<>();
        used.forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9)));
        return String.join(", ", parts);
    }
}
