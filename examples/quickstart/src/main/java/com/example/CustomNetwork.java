package com.example;

import dev.jgan.api.BuildContext;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The README's "Adding your own network" example: a generator type registered as a function of the build context,
 * then named in the config's generator section. {@code mvn compile exec:java@custom} runs it.
 */
public class CustomNetwork {
    public static void main(String[] args) throws Exception {
        NetworkRegistry.global().registerGenerator("my_mlp",
                ctx -> new Dl4jGenerator("my_mlp", myNetwork(ctx), ctx.latentSize(), ctx.image()));

        Path config = Path.of(args.length > 0 ? args[0] : "../mnist-dense.json");
        String json = Files.readString(config).replaceFirst("\"type\"\\s*:\\s*\"dense\"", "\"type\": \"my_mlp\"");
        ConfigReader reader = new ConfigReader();                // reads with the global registry
        GanRun.Result result = new GanRun(reader.read(json, config.toString()), "my-mlp", reader).run();
        System.out.println("trained " + result.summary().steps() + " steps of my_mlp; run " + result.directory());
    }

    /** Any MultiLayerNetwork (or one-input ComputationGraph) from the latent size to the image, ending in tanh. */
    static MultiLayerNetwork myNetwork(BuildContext ctx) {
        var o = ctx.optimizer();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(ctx.seed())
                .updater(new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()))
                .list()
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(ctx.image().size()).activation(Activation.TANH).build())
                .setInputType(InputType.feedForward(ctx.latentSize()))
                .build());
        net.init();
        return net;
    }
}
