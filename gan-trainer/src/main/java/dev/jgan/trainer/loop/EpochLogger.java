package dev.jgan.trainer.loop;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.TrainingListener;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one line per epoch: losses, D's scores, speed and the time left. Every {@link AdversarialTrainer} has one. */
final class EpochLogger implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTrainer.class);

    @Override
    public void onEpoch(EpochEvent e) {
        long eta = e.elapsed().toSeconds() * (e.epochs() - e.epoch());
        LOG.info(String.format(Locale.ROOT,
                "epoch %d/%d  step %d  D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f img/s  %.1f s"
                        + "  ETA %d:%02d",
                e.epoch(), e.epochs(), e.steps(), e.discriminatorLoss(), e.generatorLoss(), e.realScore(),
                e.fakeScore(), e.imagesPerSecond(), e.elapsed().toMillis() / 1000.0, eta / 60, eta % 60));
    }
}
