package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.BuildContext;
import dev.jgan.api.Checks;
import dev.jgan.api.Generator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/** A user's own DL4J generator, registered under a new type name, named in JSON and trained. */
class CustomNetworkTest {

    /** The user's settings record: its fields sit beside {@code "type"} in the JSON. */
    record TinySpec(int hidden) {
        TinySpec {
            Checks.check(hidden >= 1, "hidden", "an integer >= 1", hidden);
        }

        @JsonCreator
        static TinySpec fromJson(@JsonProperty("hidden") Integer hidden) {
            return new TinySpec(hidden == null ? 32 : hidden);
        }

        @JsonProperty("hidden")
        @Override
        public int hidden() {
            return hidden;
        }
    }

    /** The user's provider: any MultiLayerNetwork ending in a loss-free tanh layer becomes a Generator. */
    static final class TinyGenerators implements NetworkProvider {
        @Override
        public String type() {
            return "tiny_mlp";
        }

        @Override
        public Class<? extends Record> generatorSpec() {
            return TinySpec.class;
        }

        @Override
        public TrainableGenerator createGenerator(Record spec, BuildContext ctx) {
            int hidden = ((TinySpec) spec).hidden();
            var o = ctx.optimizer();
            var conf = new NeuralNetConfiguration.Builder().seed(ctx.seed())
                    .updater(new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()))
                    .list()
                    .layer(new DenseLayer.Builder().nIn(ctx.latentSize()).nOut(hidden).activation(Activation.RELU)
                            .build())
                    .layer(new DenseLayer.Builder().nOut(ctx.image().size()).activation(Activation.TANH).build())
                    .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(ctx.latentSize()))
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return new Dl4jGenerator(type(), net, ctx.latentSize(), ctx.image());
        }
    }

    @Test
    void customGeneratorIsNamedInJsonAndTrains(@TempDir Path tmp) throws Exception {
        NetworkRegistry registry = new NetworkRegistry().loadServices(getClass().getClassLoader())
                .register(new TinyGenerators());
        ConfigReader reader = new ConfigReader(registry);
        GanConfig config = reader.read("""
                {"seed": 3,
                 "data": {"location": "%s", "limit": 256, "download": false},
                 "latent": {"size": 8},
                 "generator": {"type": "tiny_mlp", "hidden": 16},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 5, "grid_size": 4},
                 "output": {"directory": "%s"}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'),
                tmp.toString().replace('\\', '/')), "custom.json");
        assertThat(config.generator().spec()).isEqualTo(new TinySpec(16));

        GanRun.Result result = new GanRun(config, "custom", reader).run();

        assertThat(result.summary().steps()).isEqualTo(5);
        assertThat(reader.write(config)).contains("\"tiny_mlp\"").contains("\"hidden\" : 16");
        TrainableGenerator loaded = ModelFiles.loadGenerator(result.generatorFile());
        assertThat(loaded.type()).isEqualTo("tiny_mlp");
        assertThat(loaded.latentSize()).isEqualTo(8);
        assertThat(loaded.steps()).isEqualTo(5);
        assertThat(Files.readString(result.directory().resolve("config.json"))).contains("tiny_mlp");
    }

    @Test
    void aTypeRegisteredAsAFunctionOfTheBuildContextTakesOneStatement(@TempDir Path tmp) throws Exception {
        NetworkRegistry registry = new NetworkRegistry().loadServices(getClass().getClassLoader())
                .registerGenerator("lambda_mlp", ctx -> new TinyGenerators().createGenerator(new TinySpec(12), ctx));
        ConfigReader reader = new ConfigReader(registry);
        GanConfig config = reader.read("""
                {"seed": 3, "data": {"limit": 256}, "latent": {"size": 8},
                 "generator": {"type": "lambda_mlp"},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 3, "grid_size": 4},
                 "output": {"directory": "%s"}}
                """.formatted(tmp.toString().replace('\\', '/')), "lambda.json");

        GanRun.Result result = new GanRun(config, "lambda", reader).run();

        assertThat(result.summary().steps()).isEqualTo(3);
        assertThat(ModelFiles.loadGenerator(result.generatorFile()).numParams()).isEqualTo(8 * 12 + 12 + 12 * 784
                + 784);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(
                        "{\"generator\": {\"type\": \"lambda_mlp\", \"hidden\": 3}, \"discriminator\": "
                                + "{\"type\": \"dense\"}}", "c.json"))
                .as("a function-registered type has no settings").isInstanceOf(ConfigException.class)
                .hasMessageContaining("hidden");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(
                        "{\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"lambda_mlp\"}}",
                        "c.json"))
                .as("registered as a generator only").isInstanceOf(ConfigException.class);
    }

    @Test
    void aProviderThatIgnoresTheOptimizerConfigStillTrainsAtTheConfiguredRate(@TempDir Path tmp) throws Exception {
        NetworkRegistry registry = new NetworkRegistry().loadServices(getClass().getClassLoader())
                .registerGenerator("fixed_rate_mlp", ctx -> {
                    var conf = new NeuralNetConfiguration.Builder().seed(ctx.seed())
                            .updater(new Adam(0.5))  // ignores ctx.optimizer()
                            .list()
                            .layer(new DenseLayer.Builder().nIn(ctx.latentSize()).nOut(16)
                                    .activation(Activation.RELU).build())
                            .layer(new DenseLayer.Builder().nOut(ctx.image().size()).activation(Activation.TANH)
                                    .build())
                            .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(ctx.latentSize()))
                            .build();
                    MultiLayerNetwork net = new MultiLayerNetwork(conf);
                    net.init();
                    return new Dl4jGenerator("fixed_rate_mlp", net, ctx.latentSize(), ctx.image());
                });
        ConfigReader reader = new ConfigReader(registry);
        double rate = 1e-4;
        GanConfig config = reader.read("""
                {"seed": 3, "data": {"limit": 64}, "latent": {"size": 8},
                 "generator": {"type": "fixed_rate_mlp"},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "optimizers": {"generator": {"learning_rate": %s}},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 1, "grid_size": 4},
                 "metrics": {"at_end": false},
                 "output": {"directory": "%s"}}
                """.formatted(rate, tmp.toString().replace('\\', '/')), "rate.json");
        INDArray before = dev.jgan.trainer.run.RunNetworks.generator(config, registry,
                new dev.jgan.api.ImageShape(1, 28, 28)).params().dup();

        GanRun.Result result = new GanRun(config, "rate", reader).run();

        INDArray after = ModelFiles.loadGenerator(result.generatorFile()).params();
        double largest = after.sub(before).amaxNumber().doubleValue();
        // Adam's first step moves a parameter by at most the rate (m / sqrt(v) = g / |g|)
        assertThat(largest).isGreaterThan(0.5 * rate).isLessThanOrEqualTo(1.001 * rate);
    }

    @Test
    void unregisteredTypesAreRejectedByTheDefaultRegistry() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigReader().read(
                        "{\"generator\": {\"type\": \"tiny_mlp\"}, \"discriminator\": {\"type\": \"dense\"}}", "c.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.type")
                .hasMessageContaining("[dcgan, dense, resnet]");
    }
}
