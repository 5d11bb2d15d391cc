package dev.jgan.dl4j.fast;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop over {@code [0, n)} into contiguous chunks run on the calling thread and the common fork-join pool,
 * one chunk per core, when the loop touches enough values to pay for the hand-off (ND4J's own threads are idle while
 * these Java loops run, so the cores are free).
 */
final class Split {

    /** Values a loop must touch before it is split: measured on batch norm, 200 k values ran as fast on one thread. */
    static final long MIN_VALUES = 1 << 18;

    private static final int CORES = Integer.getInteger("jgan.split", Runtime.getRuntime().availableProcessors());

    /** The body of a loop, run on {@code [lo, hi)}. */
    interface Range {
        void run(int lo, int hi);
    }

    private Split() {
    }

    /** Runs {@code body} over {@code [0, n)}; {@code values} is how many array elements the whole loop touches. */
    static void run(int n, long values, Range body) {
        int chunks = (int) Math.min(Math.min(CORES, n), Math.max(1, values / MIN_VALUES));
        if (chunks < 2 || ForkJoinPool.getCommonPoolParallelism() < 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int lo = (int) ((long) n * c / chunks);
            int hi = (int) ((long) n * (c + 1) / chunks);
            others[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(lo, hi));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : others) {
            t.join();
        }
    }
}
