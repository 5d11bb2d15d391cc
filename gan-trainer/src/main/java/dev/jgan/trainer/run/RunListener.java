package dev.jgan.trainer.run;

import dev.jgan.api.TrainingListener;

/** A training listener that also hears the end of the whole run, after its final files are written. */
public interface RunListener extends TrainingListener {

    /** Called once per run, after the final models and {@code provenance.json} are saved (or after a failure). */
    default void onRunEnd(RunOutcome outcome) {}
}
