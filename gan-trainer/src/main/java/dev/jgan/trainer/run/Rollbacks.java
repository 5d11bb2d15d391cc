package dev.jgan.trainer.run;

import dev.jgan.api.ImageSource;
import dev.jgan.api.TrainingSummary;
import dev.jgan.trainer.config.DivergenceConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.DivergenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The divergence policy of a run: stop at a non-finite loss, or roll back to the newest checkpoint. */
final class Rollbacks {

    private static final Logger LOG = LoggerFactory.getLogger(GanRun.class);

    private Rollbacks() {}

    /** Trains; on divergence either stops or, if configured, rolls back to the newest checkpoint with lower rates. */
    static TrainingSummary train(AdversarialTrainer t, ImageSource data, Checkpoints checkpoints,
                                 RunRecorder recorder, AtomicReference<RunProvenance> provenance,
                                 DivergenceConfig policy) throws IOException {
        int rollbacks = t.state().rollbacks();
        while (true) {
            try {
                return t.train(data);
            } catch (DivergenceException e) {
                if (!policy.rollback() || rollbacks >= policy.maxRollbacks()) {
                    throw e;
                }
                Checkpoints.Restored ckpt = checkpoints.restoreLatest(t.generator(), t.discriminator(),
                        new ArrayList<>()).orElseThrow(() -> e);
                if (ckpt.averagedGenerator() != null) {
                    t.restoreAveragedParams(ckpt.averagedGenerator());
                }
                t.generator().scaleLearningRate(policy.lrFactor());
                t.discriminator().scaleLearningRate(policy.lrFactor());
                t.restore(ckpt.state().withRollbacks(++rollbacks));
                recorder.rewind(ckpt.state());
                double factor = Math.pow(policy.lrFactor(), rollbacks);
                RunProvenance.Rollback r = new RunProvenance.Rollback(e.event().step(), ckpt.state().step(), factor);
                provenance.updateAndGet(p -> p.withRollback(r));
                LOG.warn("{}; rolled back to step {} with learning rates x{}", e.getMessage(), ckpt.state().step(),
                        factor);
            }
        }
    }
}
