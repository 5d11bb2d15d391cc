package dev.jgan.trainer.run;

import dev.jgan.api.TrainingListener;
import java.util.List;
import org.slf4j.LoggerFactory;

/** A training listener that also hears the end of the whole run, after its final files are written. */
public interface RunListener extends TrainingListener {

    /** Called once per run, after the final models and {@code provenance.json} are saved (or after a failure). */
    default void onRunEnd(RunOutcome outcome) {}

    /** Tells each of {@code listeners} how the run ended; a listener's failure is logged, and the rest still hear it. */
    static void runEnded(List<? extends RunListener> listeners, RunOutcome outcome) {
        for (RunListener l : listeners) {
            try {
                l.onRunEnd(outcome);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(RunListener.class).warn("{} failed at the end of the run: {}",
                        l.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
