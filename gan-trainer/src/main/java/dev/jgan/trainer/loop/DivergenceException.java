package dev.jgan.trainer.loop;

import dev.jgan.api.StepEvent;

/** A loss became NaN or infinite: training stopped at that step and wrote nothing from it. */
public class DivergenceException extends RuntimeException {

    private final transient StepEvent event;

    /** The loss of {@code event}'s step was not finite. */
    public DivergenceException(StepEvent event) {
        super("training diverged at step " + event.step() + " (epoch " + event.epoch() + "): D loss "
                + event.discriminatorLoss() + ", G loss " + event.generatorLoss()
                + "; lower the learning rates or check the data; the last checkpoint is untouched");
        this.event = event;
    }

    /** The step at which a loss stopped being finite. */
    public StepEvent event() {
        return event;
    }
}
