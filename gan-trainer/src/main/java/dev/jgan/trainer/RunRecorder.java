package dev.jgan.trainer;

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
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a run's progress into its directory: {@code steps.csv} (every step), {@code epochs.csv} (every epoch) and
 * {@code samples/epoch-NNN.png}, a grid generated from the same latent vectors every epoch.
 */
public final class RunRecorder implements TrainingListener, AutoCloseable {

    private final Path directory;
    private final Generator generator;
    private final INDArray fixedNoise;
    private final BufferedWriter steps;
    private final BufferedWriter epochs;
    private Path lastGrid;

    public RunRecorder(Path directory, Generator generator, INDArray fixedNoise) throws IOException {
        this.directory = directory;
        this.generator = generator;
        this.fixedNoise = fixedNoise;
        Files.createDirectories(directory.resolve("samples"));
        this.steps = Files.newBufferedWriter(directory.resolve("steps.csv"), StandardCharsets.UTF_8);
        this.epochs = Files.newBufferedWriter(directory.resolve("epochs.csv"), StandardCharsets.UTF_8);
        steps.write("step,epoch,d_loss,g_loss,d_real,d_fake\n");
        epochs.write("epoch,step,d_loss,g_loss,d_real,d_fake,images_per_second,seconds\n");
    }

    @Override
    public void onStep(StepEvent e) {
        write(steps, String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f%n", e.step(), e.epoch(),
                e.discriminatorLoss(), e.generatorLoss(), e.realScore(), e.fakeScore()));
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

    /** Writes a grid from the fixed noise now, as {@code samples/name}. */
    public Path writeGrid(String name) throws IOException {
        INDArray images = generator.generate(fixedNoise);
        int columns = (int) Math.ceil(Math.sqrt(images.size(0)));
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
        try (steps; epochs) {
            steps.flush();
            epochs.flush();
        }
    }
}
