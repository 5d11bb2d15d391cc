package dev.jgan.trainer.run;

import dev.jgan.api.Conditioning;
import dev.jgan.trainer.config.GanConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed generator input of a run's sample grids, the same every epoch so progress is visible: noise from
 * {@code seed + 2}, laid out in about square rows, or, for a conditional run, one row per class.
 *
 * @param input the generator's input, {@code [n, latent (+ classes)]}
 * @param columns images per row
 */
public record SampleGrid(INDArray input, int columns) {

    /** The grid {@code config} describes ({@code training.grid_size} images, fewer to fill whole class rows). */
    public static SampleGrid of(GanConfig config) {
        int k = config.conditional().numClasses();
        int size = config.training().gridSize();
        int columns = (int) Math.ceil(Math.sqrt(size));
        int[] labels = null;
        if (k > 0) {
            columns = Math.max(1, size / k);
            size = columns * k;
            labels = new int[size];
            for (int i = 0; i < size; i++) {
                labels[i] = i / columns;
            }
        }
        INDArray noise = config.latent().sample(size, Nd4j.getRandomFactory().getNewRandomInstance(config.seed() + 2));
        return new SampleGrid(Conditioning.generatorInput(noise, labels, k), columns);
    }
}
