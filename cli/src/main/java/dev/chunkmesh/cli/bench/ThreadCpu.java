package dev.chunkmesh.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's live threads, grouped by name with digits dropped (vert.x-eventloop-thread-N, ...): where a bench's time went.
 * On Linux the JVM's own threads, which the management API does not list, are added from {@code /proc/self/task} as "JIT
 * compiler" and "GC" (at the kernel's 10 ms accounting resolution), so a copy's CPU adds up.
 */
final class ThreadCpu {
    /** Clock ticks per second of {@code /proc/.../stat} (USER_HZ, 100 on Linux). */
    private static final long NANOS_PER_TICK = 10_000_000L;

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
        addJvmThreads(out);
        return out;
    }

    /** Adds the JIT compiler's and the garbage collector's threads, where {@code /proc} lists them; nothing elsewhere. */
    private static void addJvmThreads(Map<String, Long> out) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String group = name.contains("CompilerThre") ? "JIT compiler" : name.startsWith("GC Thread") || name.startsWith("G1 ")
                            ? "GC" : null;
                    if (group != null) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.merge(group, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK, Long::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while being read
                }
            });
        } catch (IOException unreadable) {
            // no per-thread figures for the JVM's own threads
        }
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
