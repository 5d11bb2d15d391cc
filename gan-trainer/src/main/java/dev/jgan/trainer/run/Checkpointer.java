package dev.jgan.trainer.run;

import dev.jgan.trainer.config.CheckpointConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/** Writes checkpoints as the config asks, between steps and at epoch ends. */
record Checkpointer(AdversarialTrainer trainer, Checkpoints checkpoints, CheckpointConfig when,
                   AtomicReference<RunProvenance> provenance) implements TrainingListener {

    @Override
    public void onStep(StepEvent e) {
        if (when.everySteps() > 0 && e.step() % when.everySteps() == 0) {
            write();
        }
    }

    @Override
    public void onEpoch(EpochEvent e) {
        if (when.everyEpoch()) {
            write();
        }
    }

    private void write() {
        try {
            checkpoints.write(trainer.generator(), trainer.discriminator(), trainer.averagedParams(),
                    trainer.state(), provenance.get().asMap());
        } catch (IOException ex) {
            throw new UncheckedIOException("checkpoint at step " + trainer.state().step() + " failed", ex);
        }
    }
}

