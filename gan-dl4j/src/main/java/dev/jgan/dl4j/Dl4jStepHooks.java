package dev.jgan.dl4j;

import dev.jgan.api.StepHooks;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J engine's step hooks. Before a step, ND4J's global random generator is seeded: DL4J's dropout (and the
 * fast path's) draws from it. After a step, native memory is reclaimed: ND4J frees native buffers only when their
 * Java objects are collected, and the Java heap does not see their size, so the hooks collect every
 * {@code interval} steps, and sooner (shortening the interval to what it took) when resident memory has grown by
 * {@link #GROWTH_BYTES} since the last collection. The allocator keeps freed memory for reuse, so growth alone would
 * trigger too late; the learned interval keeps garbage below that. One instance serves every network of a process.
 */
final class Dl4jStepHooks implements StepHooks {

    static final Dl4jStepHooks INSTANCE = new Dl4jStepHooks();

    private static final long GROWTH_BYTES = 64L << 20;
    private int interval = 50;
    private int stepsSinceGc;
    private long rssAfterGc = -1;

    private Dl4jStepHooks() {}

    @Override
    public void beforeStep(long step, long seed) {
        Nd4j.getRandom().setSeed(seed);
    }

    @Override
    public synchronized void afterStep(long step) {
        stepsSinceGc++;
        long rss = Pointer.physicalBytes();
        if (rssAfterGc < 0) {
            rssAfterGc = rss;
        }
        if (rss - rssAfterGc > GROWTH_BYTES) {
            interval = Math.max(1, stepsSinceGc);
        } else if (stepsSinceGc < interval) {
            return;
        }
        System.gc();
        stepsSinceGc = 0;
        rssAfterGc = Pointer.physicalBytes();
    }
}
