package dev.jgan.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time of this JVM's JIT compiler threads ("C1 CompilerThread…", "C2 CompilerThread…"), read from Linux's
 * {@code /proc/self/task/TID/stat}. The JVM's own {@code CompilationMXBean} adds a compilation's time only when it
 * ends, and its compiler threads are hidden from {@code ThreadMXBean}.
 */
final class CompilerThreads {

    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private CompilerThreads() {}

    /** Milliseconds of CPU used so far by the compiler threads, or -1 where {@code /proc} cannot tell. */
    static long cpuMillis() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        boolean found = false;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                String name = read(t.resolve("comm"));
                if (name == null || !name.contains("CompilerThre")) {
                    continue;
                }
                String stat = read(t.resolve("stat"));
                long used = stat == null ? -1 : cpuTicks(stat);
                if (used >= 0) {
                    ticks += used;
                    found = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return found ? ticks * 1000 / TICKS_PER_SECOND : -1;
    }

    /**
     * utime + stime (fields 14 and 15) of one line of {@code /proc/PID/task/TID/stat}, or -1 when it is not one.
     * The thread's name (field 2, in parentheses) may hold spaces and parentheses, so fields count from the last ')'.
     */
    static long cpuTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0 || end + 2 > stat.length()) {
            return -1;
        }
        String[] f = stat.substring(end + 2).trim().split(" +");
        if (f.length < 13) {
            return -1;
        }
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null; // the thread ended
        }
    }
}
