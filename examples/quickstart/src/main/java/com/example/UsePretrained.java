package com.example;

import dev.jgan.api.LatentPaths;
import dev.jgan.inference.GeneratorModel;
import dev.jgan.inference.Pretrained;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

public class UsePretrained {
    public static void main(String[] args) throws Exception {
        System.out.println("published generators: " + Pretrained.names());
        GeneratorModel g = GeneratorModel.pretrained("mnist-dcgan-conditional");   // or GeneratorModel.load(path)
        System.out.println(g.card().quality());                  // FD, classifier score, recall, ... as measured

        INDArray sevens = g.sample(16, 42, 7);                  // [16, 1, 28, 28], values in [-1, 1]
        Files.write(Path.of("sevens.png"), GeneratorModel.png(sevens, 4));
        INDArray mixed = g.sample(100, 42);                     // classes in turn; the first 16 of seed 42 are
                                                                // the same whatever the count asked for
        INDArray walk = g.interpolate(1, 2, 8, LatentPaths.Kind.SPHERICAL, 3);   // 8 threes from seed 1 to 2
        Files.write(Path.of("walk.png"), GeneratorModel.png(walk, 8));
        g.exportOnnx(Path.of("generator.onnx"));                // runs in ONNX Runtime (Python, C++, ...)
        System.out.println("sampled " + mixed.shape()[0] + " images, wrote sevens.png, walk.png, generator.onnx");
    }
}
