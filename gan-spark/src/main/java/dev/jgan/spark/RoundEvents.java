package dev.jgan.spark;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingStart;
import dev.jgan.api.TrainingSummary;
import dev.jgan.trainer.loop.TrainerState;
import dev.jgan.trainer.run.RunListener;
import dev.jgan.trainer.run.RunOutcome;
import dev.jgan.trainer.run.RunRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's rounds told to the listeners of a single-process run, so that a Spark run directory has the files of
 * a {@code jgan train} one: {@link RunRecorder} ({@code steps.csv} with one row per round at the round's last step,
 * {@code epochs.csv} and {@code samples/epoch-NNN.png} as the rounds complete the partitions' epochs) and the
 * run extensions on the class path (metrics, {@code report.html}). An epoch is one pass of every replica over its
 * partition; a round that completes one ends it, so epoch figures are means over whole rounds.
 */
final class RoundEvents implements AutoCloseable {

    private final RunRecorder recorder;
    private final List<RunListener> extensions;
    private final List<TrainingListener> all = new ArrayList<>();
    private final long perEpoch;
    private final int epochs;
    private final long sessionStart = System.nanoTime();
    private long epochStart = sessionStart;
    private double dLoss;
    private double gLoss;
    private double real;
    private double fake;
    private int rounds;
    private long epochImages;
    private long images;
    private long steps;
    private EpochEvent last;

    /**
     * @param recorder the run's step and epoch logs and grids
     * @param extensions the attached extensions' listeners
     * @param perEpoch iterations in one pass over a partition
     * @param lastStep the iteration the run ends at
     */
    RoundEvents(RunRecorder recorder, List<RunListener> extensions, long perEpoch, long lastStep) {
        this.recorder = recorder;
        this.extensions = extensions;
        this.perEpoch = perEpoch;
        this.epochs = (int) ((lastStep + perEpoch - 1) / perEpoch);
        all.add(recorder);
        all.addAll(extensions);
    }

    /** Before the first round. */
    void start(TrainingStart start) {
        all.forEach(l -> l.onStart(start));
    }

    /** After a round from iteration {@code from} to {@code r.step()} that trained {@code roundImages} images. */
    void round(DistributedTrainer.Round r, long from, long roundImages) {
        int epoch = (int) ((r.step() - 1) / perEpoch) + 1;
        StepEvent step = new StepEvent(r.step(), epoch, r.discriminatorLoss(), r.generatorLoss(), r.realScore(),
                r.fakeScore(), (int) Math.min(Integer.MAX_VALUE, roundImages));
        all.forEach(l -> l.onStep(step));
        dLoss += r.discriminatorLoss();
        gLoss += r.generatorLoss();
        real += r.realScore();
        fake += r.fakeScore();
        rounds++;
        epochImages += roundImages;
        images += roundImages;
        steps += r.step() - from;
        for (long done = from / perEpoch + 1; done <= r.step() / perEpoch; done++) {
            long now = System.nanoTime();
            Duration elapsed = Duration.ofNanos(now - epochStart);
            last = new EpochEvent((int) done, epochs, r.step(), dLoss / rounds, gLoss / rounds, real / rounds,
                    fake / rounds, epochImages / Math.max(1e-9, elapsed.toNanos() / 1e9), elapsed);
            EpochEvent e = last;
            all.forEach(l -> l.onEpoch(e));
            epochStart = now;
            dLoss = gLoss = real = fake = 0;
            rounds = 0;
            epochImages = 0;
        }
    }

    /** After the last round of this session, with the state it ended in. */
    TrainingSummary end(TrainerState state) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - sessionStart);
        TrainingSummary summary = new TrainingSummary(state.epoch() - 1, steps, elapsed,
                images / Math.max(1e-9, elapsed.toNanos() / 1e9), last);
        all.forEach(l -> l.onEnd(summary));
        return summary;
    }

    /** Once the final models and provenance are written (or the run failed). */
    void runEnded(RunOutcome outcome) {
        RunListener.runEnded(extensions, outcome);
    }

    /** Closes the step and epoch logs. */
    @Override
    public void close() throws IOException {
        recorder.close();
    }
}
