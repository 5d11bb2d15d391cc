package com.example;

import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageSource;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.ExampleConfigs;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.DataSources;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.ImageGrids;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's "your own loop": networks, data, loss and options from a config; the loop is yours. */
public class OwnLoop {
    public static void main(String[] args) throws Exception {
        GanConfig config = ExampleConfigs.read("mnist-dense", new ConfigReader());
        ImageSource data = DataSources.open(config.data());         // the embedded 10k MNIST subset
        TrainableGenerator g = GanRun.buildGenerator(config, NetworkRegistry.global(), data.shape());
        Discriminator d = GanRun.buildDiscriminator(config, NetworkRegistry.global(), data.shape());
        AdversarialTrainer gan = AdversarialTrainer.from(config, g, d);   // loss, options, seed of the config
        int batch = config.training().batchSize();
        for (int epoch = 1; epoch <= 2; epoch++) {
            int steps = 0;
            double dLoss = 0, gLoss = 0;
            try (ImageBatches batches = data.epoch(config.seed(), epoch, 0)) {
                for (ImageBatch b = batches.next(batch); b != null; b = batches.next(batch)) {
                    INDArray real = b.images().reshape(data.shape().batchShape(batch));   // [n, C, H, W]
                    dLoss += gan.discriminatorStep(real).loss();     // D: real vs generated
                    gLoss += gan.generatorStep(batch);               // G through D; D's weights untouched
                    steps++;
                }
            }
            System.out.printf("epoch %d: %d steps, mean D loss %.3f, mean G loss %.3f%n",
                    epoch, steps, dLoss / steps, gLoss / steps);
        }
        INDArray z = config.latent().sample(64, Nd4j.getRandomFactory().getNewRandomInstance(1));
        System.out.println("wrote " + ImageGrids.writePng(g.generate(z), 8, Path.of("own-loop.png")));
    }
}
