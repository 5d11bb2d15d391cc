package dev.jgan.examples;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import java.util.Locale;

/** An in-place progress line on an interactive terminal (not used when output goes to a file or CI). */
final class ConsoleProgress implements TrainingListener {

    private long epochStart = System.nanoTime();
    private long stepsInEpoch;
    private long imagesInEpoch;

    @Override
    public void onStep(StepEvent e) {
        stepsInEpoch++;
        imagesInEpoch += e.images();
        if (e.step() % 10 == 0) {
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            System.err.printf(Locale.ROOT, "\r  epoch %d  step %d  D %.3f  G %.3f  D(x) %.2f  D(G(z)) %.2f  %.0f img/s ",
                    e.epoch(), e.step(), e.discriminatorLoss(), e.generatorLoss(), e.realScore(), e.fakeScore(),
                    imagesInEpoch / Math.max(seconds, 1e-9));
        }
    }

    @Override
    public void onEpoch(EpochEvent e) {
        System.err.print("\r" + " ".repeat(100) + "\r");
        epochStart = System.nanoTime();
        stepsInEpoch = 0;
        imagesInEpoch = 0;
    }
}
