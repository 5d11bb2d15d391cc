package com.example;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.ImageGrids;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Trains the shipped dense example on the embedded 10k MNIST subset, then samples from the saved generator. */
public class Quickstart {
    public static void main(String[] args) throws Exception {
        GanRun run = GanRun.fromExample("mnist-dense");           // examples/mnist-dense.json, inside gan-trainer
        run.addListener(new TrainingListener() {                  // every method is optional
            @Override public void onEpoch(EpochEvent e) {
                System.out.printf("epoch %d: D %.3f G %.3f%n", e.epoch(), e.discriminatorLoss(), e.generatorLoss());
            }
        });
        GanRun.Result result = run.run();                         // writes runs/mnist-dense-<UTC time>/
        Generator g = ModelFiles.loadGenerator(result.generatorFile());
        INDArray images = g.generate(new LatentSpace(g.latentSize(), LatentSpace.Distribution.NORMAL)
                .sample(16, Nd4j.getRandomFactory().getNewRandomInstance(1)));   // [16, 1, 28, 28] in [-1, 1]
        ImageGrids.writePng(images, 4, Path.of("quickstart.png"));
        System.out.println("generated " + Arrays.toString(images.shape()) + "; run " + result.directory());
    }
}
