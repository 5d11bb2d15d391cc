package dev.jgan.trainer.loop;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingStart;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per epoch (losses, D's scores, speed, the time left) and, within an epoch, a progress line at most
 * every {@value #PROGRESS_SECONDS} seconds, so that a run shorter than an epoch shows it is alive. Every
 * {@link AdversarialTrainer} has one.
 */
final class EpochLogger implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTrainer.class);
    static final long PROGRESS_SECONDS = 10;

    private long lastLine;
    private long imagesSinceLine;

    @Override
    public void onStart(TrainingStart start) {
        lastLine = System.nanoTime();
    }

    @Override
    public void onStep(StepEvent e) {
        imagesSinceLine += e.images();
        long now = System.nanoTime();
        double seconds = (now - lastLine) / 1e9;
        if (seconds < PROGRESS_SECONDS) {
            return;
        }
        LOG.info(String.format(Locale.ROOT, "epoch %d  step %d  D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f"
                        + "  %.0f img/s", e.epoch(), e.step(), e.discriminatorLoss(), e.generatorLoss(),
                e.realScore(), e.fakeScore(), imagesSinceLine / seconds));
        restart(now);
    }

    @Override
    public void onEpoch(EpochEvent e) {
        long eta = e.elapsed().toSeconds() * (e.epochs() - e.epoch());
        LOG.info(String.format(Locale.ROOT,
                "epoch %d/%d  step %d  D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f img/s  %.1f s"
                        + "  ETA %d:%02d",
                e.epoch(), e.epochs(), e.steps(), e.discriminatorLoss(), e.generatorLoss(), e.realScore(),
                e.fakeScore(), e.imagesPerSecond(), e.elapsed().toMillis() / 1000.0, eta / 60, eta % 60));
        restart(System.nanoTime());
    }

    private void restart(long now) {
        lastLine = now;
        imagesSinceLine = 0;
    }
}
