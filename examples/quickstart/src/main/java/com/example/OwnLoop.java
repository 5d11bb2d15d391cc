package com.example;

import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageSource;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.DataSources;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.ImageGrids;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's "your own loop" example, verbatim: networks, data and loss from a config; the loop is yours. */
public class OwnLoop {
    public static void main(String[] args) throws Exception {
        GanConfig config = new ConfigReader().read(Path.of(args.length > 0 ? args[0] : "../mnist-dense.json"));
        ImageSource data = DataSources.open(config.data());
        TrainableGenerator g = GanRun.buildGenerator(config, NetworkRegistry.global(), data.shape());
        Discriminator d = GanRun.buildDiscriminator(config, NetworkRegistry.global(), data.shape());
        AdversarialTrainer gan = new AdversarialTrainer(g, d, config.loss().create(), config.latent(),
                config.training(), config.seed());
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
