package dev.jgan.trainer.run;

import dev.jgan.trainer.loop.TrainerState;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.jgan.api.TrainingSummary;
import java.util.function.LongPredicate;

/**
 * Writes a run's progress into its directory: {@code steps.csv} (every step), {@code epochs.csv} (every epoch) and
 * {@code samples/epoch-NNN.png}, a grid generated from the same latent vectors every epoch.
 */
public final class RunRecorder implements TrainingListener, AutoCloseable {

    private final Path directory;
    private final Generator generator;
    private final INDArray fixedNoise;
    private final int columns;
    private BufferedWriter steps;
    private BufferedWriter epochs;
    private Path lastGrid;

    private static final String STEPS_HEADER = "step,epoch,d_loss,g_loss,d_real,d_fake";
    private static final String EPOCHS_HEADER = "epoch,step,d_loss,g_loss,d_real,d_fake,images_per_second,seconds";

    /**
     * @param resumeFrom null for a new run; otherwise the logs are cut back to this state (rows written after it
     *     belong to steps that will be redone) and appended to
     */
    public RunRecorder(Path directory, Generator generator, INDArray fixedNoise, TrainerState resumeFrom)
            throws IOException {
        this(directory, generator, fixedNoise, (int) Math.ceil(Math.sqrt(fixedNoise.size(0))), resumeFrom);
    }

    /**
     * @param fixedInput the generator's input for every grid (noise, plus labels for a conditional generator)
     * @param columns images per grid row
     */
    public RunRecorder(Path directory, Generator generator, INDArray fixedInput, int columns,
                       TrainerState resumeFrom) throws IOException {
        this.columns = columns;
        this.directory = directory;
        this.generator = generator;
        this.fixedNoise = fixedInput;
        Files.createDirectories(directory.resolve("samples"));
        if (resumeFrom == null) {
            Files.writeString(directory.resolve("steps.csv"), STEPS_HEADER + "\n", StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("epochs.csv"), EPOCHS_HEADER + "\n", StandardCharsets.UTF_8);
            openLogs();
        } else {
            rewind(resumeFrom);
        }
    }

    /** Cuts the logs back to {@code state} (rows after it belong to steps that will be redone). */
    public void rewind(TrainerState state) throws IOException {
        if (steps != null) {
            close();
        }
        keepRows(directory.resolve("steps.csv"), STEPS_HEADER, first -> first <= state.step());
        keepRows(directory.resolve("epochs.csv"), EPOCHS_HEADER, first -> first < state.epoch());
        openLogs();
    }

    private void openLogs() throws IOException {
        steps = Files.newBufferedWriter(directory.resolve("steps.csv"), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        epochs = Files.newBufferedWriter(directory.resolve("epochs.csv"), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** Rewrites a CSV log keeping the header and the rows whose first column passes {@code keep}. */
    private static void keepRows(Path file, String header, LongPredicate keep) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add(header);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int comma = line.indexOf(',');
                if (comma > 0 && line.chars().limit(comma).allMatch(Character::isDigit)
                        && keep.test(Long.parseLong(line.substring(0, comma)))) {
                    rows.add(line);
                }
            }
        }
        AtomicFiles.write(file, tmp -> Files.write(tmp, rows, StandardCharsets.UTF_8));
    }

    @Override
    public void onStep(StepEvent e) {
        write(steps, String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f%n", e.step(), e.epoch(),
                e.discriminatorLoss(), e.generatorLoss(), e.realScore(), e.fakeScore()));
        try {
            steps.flush(); // a live log: after a crash it shows how far training got
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onEpoch(EpochEvent e) {
        write(epochs, String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.1f,%.3f%n", e.epoch(), e.steps(),
                e.discriminatorLoss(), e.generatorLoss(), e.realScore(), e.fakeScore(), e.imagesPerSecond(),
                e.elapsed().toMillis() / 1000.0));
        try {
            steps.flush();
            epochs.flush();
            lastGrid = writeGrid(String.format(Locale.ROOT, "epoch-%03d.png", e.epoch()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onEnd(TrainingSummary summary) {
        try {
            steps.flush();
            epochs.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes a grid from the fixed noise now, as {@code samples/name}. */
    public Path writeGrid(String name) throws IOException {
        INDArray images = generator.generate(fixedNoise);
        lastGrid = ImageGrids.writePng(images, columns, directory.resolve("samples").resolve(name));
        return lastGrid;
    }

    /** The most recent grid written, or null. */
    public Path lastGrid() {
        return lastGrid;
    }

    private static void write(BufferedWriter w, String line) {
        try {
            w.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (BufferedWriter s = steps; BufferedWriter e = epochs) {
            s.flush();
            e.flush();
        }
    }
}
