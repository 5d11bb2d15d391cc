package com.example;

import dev.jgan.api.BuildContext;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingStart;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.ExampleConfigs;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The README's "Adding your own network": a generator type registered as a function of the build context, named in
 * the config's generator section, with DL4J listeners on both networks. {@code mvn compile exec:exec@custom}.
 */
public class CustomNetwork {
    public static void main(String[] args) throws Exception {
        NetworkRegistry.global().registerGenerator("my_mlp",
                ctx -> new Dl4jGenerator("my_mlp", myNetwork(ctx), ctx.latentSize(), ctx.image()));

        String json = ExampleConfigs.json("mnist-dense").replaceFirst("\"type\": \"dense\"", "\"type\": \"my_mlp\"");
        ConfigReader reader = new ConfigReader();                // reads with the global registry
        GanConfig config = reader.read(json, "my_mlp.json");
        config = config.withTraining(config.training().withLimits(2, 200, 0));   // a short run: 200 steps
        GanRun run = new GanRun(config, "my-mlp", reader);
        run.addListener(new TrainingListener() {
            @Override public void onStart(TrainingStart s) {     // the DL4J networks, EMA or not
                ((Dl4jGenerator) s.generator()).model().setListeners(new ScoreIterationListener(50));
                ((Dl4jDiscriminator) s.discriminator()).model().setListeners(new ScoreIterationListener(50));
            }
        });
        GanRun.Result result = run.run();
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
