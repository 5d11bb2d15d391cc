package dev.jgan.trainer.run;

import dev.jgan.api.TrainingSummary;
import java.nio.file.Path;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.loop.TrainerState;

/**
 * How a run ended, told to every {@link RunListener} once the final models and {@code provenance.json} are written
 * (or, for a run that diverged or failed, once its provenance says so).
 *
 * @param directory the run directory
 * @param status how it ended
 * @param reason why, in words (for example "12 epochs done", "max_seconds 120 reached")
 * @param summary the training of this session; null when training itself failed
 * @param generatorFile the saved generator; null unless finished or stopped
 */
public record RunOutcome(Path directory, RunStatus status, String reason, TrainingSummary summary,
                         Path generatorFile) {

    /** Why training ended, in words: a stop request, or the first of {@code limits} that {@code state} reached. */
    static String reason(boolean stopped, TrainingConfig limits,
                         TrainerState state, long steps) {
        if (stopped) {
            return "stopped on request at step " + steps;
        }
        if (state.epoch() > limits.epochs()) {
            return "all " + limits.epochs() + " epochs done";
        }
        if (limits.maxSteps() > 0 && state.step() >= limits.maxSteps()) {
            return "max_steps " + limits.maxSteps() + " reached";
        }
        return "max_seconds " + limits.maxSeconds() + " reached";
    }
}
