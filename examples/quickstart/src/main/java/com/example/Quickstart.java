package com.example;

import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's library example, verbatim: train from a config, then sample from the saved generator. */
public class Quickstart {
    public static void main(String[] args) throws Exception {
        Path config = Path.of(args.length > 0 ? args[0] : "../mnist-dense.json");
        GanRun run = GanRun.fromFile(config);
        run.addListener(new TrainingListener() {                  // every method is optional
            @Override public void onEpoch(EpochEvent e) {
                System.out.printf("epoch %d: D %.3f G %.3f%n", e.epoch(), e.discriminatorLoss(), e.generatorLoss());
            }
        });
        GanRun.Result result = run.run();                         // writes the run directory
        Generator g = ModelFiles.loadGenerator(result.generatorFile());
        INDArray images = g.generate(new LatentSpace(g.latentSize(), LatentSpace.Distribution.NORMAL)
                .sample(16, Nd4j.getRandomFactory().getNewRandomInstance(1)));   // [16, 1, 28, 28] in [-1, 1]
        System.out.println("generated " + java.util.Arrays.toString(images.shape()) + "; run " + result.directory());
    }
}
