package dev.jgan.trainer.loop;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.StepEvent;

/**
 * Where an {@link AdversarialTrainer} stands, enough (with the networks) to continue exactly: the data order and the
 * noise of every step derive from the run seed and these counters.
 *
 * @param step iterations done
 * @param epoch the current 1-based epoch
 * @param iteration iterations done within the current epoch
 * @param images real images consumed so far
 * @param epochDiscriminatorLoss sum of D losses over this epoch's iterations
 * @param epochGeneratorLoss sum of G losses over this epoch's iterations
 * @param epochRealScore sum of D(x) over this epoch's iterations
 * @param epochFakeScore sum of D(G(z)) over this epoch's iterations
 * @param epochNanos wall time spent in this epoch so far
 * @param rollbacks divergences rolled back from so far; each multiplied both learning rates by the divergence
 *        policy's {@code lr_factor}, so a resumed run scales its rates as many times
 */
public record TrainerState(
        @JsonProperty("step") long step,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("iteration") int iteration,
        @JsonProperty("images") long images,
        @JsonProperty("epoch_d_loss") double epochDiscriminatorLoss,
        @JsonProperty("epoch_g_loss") double epochGeneratorLoss,
        @JsonProperty("epoch_d_real") double epochRealScore,
        @JsonProperty("epoch_d_fake") double epochFakeScore,
        @JsonProperty("epoch_nanos") long epochNanos,
        @JsonProperty("rollbacks") int rollbacks) {

    /** Checks that every counter is in range (a checkpoint's state.json is read into this). */
    public TrainerState {
        if (step < 0 || epoch < 1 || iteration < 0 || images < 0 || epochNanos < 0 || rollbacks < 0
                || iteration > step) {
            throw new IllegalArgumentException("inconsistent training state: step " + step + ", epoch " + epoch
                    + ", iteration " + iteration + ", images " + images + ", epoch_nanos " + epochNanos
                    + ", rollbacks " + rollbacks);
        }
    }

    /** The state before the first step. */
    public static final TrainerState START = new TrainerState(0, 1, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The state after step {@code e} of this epoch. */
    TrainerState after(StepEvent e) {
        return new TrainerState(e.step(), epoch, iteration + 1, images + e.images(),
                epochDiscriminatorLoss + e.discriminatorLoss(), epochGeneratorLoss + e.generatorLoss(),
                epochRealScore + e.realScore(), epochFakeScore + e.fakeScore(), epochNanos, rollbacks);
    }

    /** This state with the epoch's training time so far (when training stops mid-epoch). */
    TrainerState withEpochNanos(long nanos) {
        return new TrainerState(step, epoch, iteration, images, epochDiscriminatorLoss, epochGeneratorLoss,
                epochRealScore, epochFakeScore, nanos, rollbacks);
    }

    /** This state with {@code count} rollbacks done. */
    public TrainerState withRollbacks(int count) {
        return new TrainerState(step, epoch, iteration, images, epochDiscriminatorLoss, epochGeneratorLoss,
                epochRealScore, epochFakeScore, epochNanos, count);
    }

    /** The start of the next epoch. */
    TrainerState nextEpoch() {
        return new TrainerState(step, epoch + 1, 0, images, 0, 0, 0, 0, 0, rollbacks);
    }
}
