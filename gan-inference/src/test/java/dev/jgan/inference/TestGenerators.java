package dev.jgan.inference;

import dev.jgan.api.BuildContext;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.OptimizerConfig;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.conv.DcganGeneratorSpec;
import dev.jgan.conv.DcganNetworks;
import dev.jgan.conv.ResnetGeneratorSpec;
import dev.jgan.conv.ResnetNetworks;
import dev.jgan.dense.DenseGeneratorSpec;
import dev.jgan.dense.DenseNetworks;
import dev.jgan.dl4j.Dl4jGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small generators of every built-in type, with random weights (batch-norm statistics included), saved to files. */
public final class TestGenerators {

    public static final int LATENT = 8;

    private TestGenerators() {}

    public static TrainableGenerator dense(int classes) {
        return new DenseNetworks().createGenerator(new DenseGeneratorSpec(List.of(16, 32), 0.2, true, null),
                ctx(new ImageShape(1, 6, 6), classes));
    }

    public static TrainableGenerator dcgan(int kernel, DcganGeneratorSpec.Upsampling up, int classes) {
        return new DcganNetworks().createGenerator(new DcganGeneratorSpec(List.of(8, 4), kernel, up, true),
                ctx(new ImageShape(1, 12, 12), classes));
    }

    public static TrainableGenerator resnet(int classes) {
        return new ResnetNetworks().createGenerator(new ResnetGeneratorSpec(8, 2),
                ctx(new ImageShape(3, 16, 16), classes));
    }

    private static BuildContext ctx(ImageShape image, int classes) {
        return new BuildContext(image, LATENT, OptimizerConfig.DEFAULT, 7, classes);
    }

    /** Replaces every parameter with N(0, 0.2²) noise, so that batch norm's running statistics are not trivial. */
    public static TrainableGenerator randomised(TrainableGenerator g, long seed) {
        var net = ((Dl4jGenerator) g).model();
        INDArray p = Nd4j.getRandomFactory().getNewRandomInstance(seed).nextGaussian(net.params().shape()).muli(0.2);
        net.setParams(p.castTo(net.params().dataType()));
        return g;
    }

    public static Path save(TrainableGenerator g, Path file) throws IOException {
        g.save(file, new ModelMetadata(ModelMetadata.GENERATOR, g.type(), g.latentSize(), g.imageShape(),
                ModelMetadata.FORMAT_VERSION, Map.of("seed", 7, "steps", 123), g.numClasses()));
        return file;
    }
}
