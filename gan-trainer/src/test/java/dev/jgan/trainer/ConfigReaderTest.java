package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.conv.DcganGeneratorSpec;
import dev.jgan.dense.DenseDiscriminatorSpec;
import dev.jgan.dense.DenseGeneratorSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigReaderTest {

    private static final String NETS = "\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"dense\"}";
    private final ConfigReader reader = new ConfigReader();

    @Test
    void minimalConfigGetsDefaults() throws Exception {
        GanConfig c = reader.read("{" + NETS + "}", "min.json");
        assertThat(c.schema()).isEqualTo(1);
        assertThat(c.seed()).isEqualTo(42L);
        assertThat(c.latent().size()).isEqualTo(100);
        assertThat(c.loss().type()).isEqualTo("non_saturating");
        assertThat(c.training().batchSize()).isEqualTo(64);
        assertThat(c.optimizers().generator().learningRate()).isEqualTo(2e-4);
        assertThat(c.generator().spec()).isEqualTo(DenseGeneratorSpec.DEFAULT);
        assertThat(c.discriminator().spec()).isEqualTo(DenseDiscriminatorSpec.DEFAULT);
        assertThat(c.data().location()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-dense.json", "mnist-dcgan.json"})
    void exampleConfigsReadAndRoundTrip(String name) throws Exception {
        GanConfig c = reader.read(Path.of("..", "examples", name));
        String resolved = reader.write(c);
        assertThat(reader.read(resolved, "resolved")).isEqualTo(c);
        assertThat(resolved).contains("\"type\" : \"" + c.generator().type() + "\"").doesNotContain("@class");
    }

    @Test
    void swappingTheTypeSwapsTheNetwork() throws Exception {
        GanConfig c = reader.read("{\"generator\": {\"type\": \"dcgan\", \"filters\": [8, 4]},"
                + "\"discriminator\": {\"type\": \"dcgan\"}}", "dcgan.json");
        assertThat(c.generator().spec()).isInstanceOf(DcganGeneratorSpec.class);
        assertThat(((DcganGeneratorSpec) c.generator().spec()).filters()).containsExactly(8, 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "trainig": {}}     | trainig            | unknown field
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"batch_size": 0}} | training.batch_size | expected an integer >= 1, got 0
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"batch_size": "64"}} | training.batch_size | expected an integer
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"epochs": 1.5}} | training.epochs | expected an integer
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"epochs": 0}} | training.epochs | expected an integer >= 1
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "latent": {"size": 0}} | latent.size | expected a latent size >= 1
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "latent": {"distribution": "cauchy"}} | latent.distribution | expected one of "normal", "uniform"
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "optimizers": {"generator": {"learning_rate": -1}}} | optimizers.generator.learning_rate | expected a finite number > 0
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "optimizers": {"lr_decay": {"start_step": 100, "end_step": 50}}} | optimizers.lr_decay.end_step | expected 0 (off) or a step > start_step (100), got 50
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "optimizers": {"lr_decay": {"end_step": 50, "final_factor": 1.5}}} | optimizers.lr_decay.final_factor | expected a factor in [0, 1], got 1.5
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"ema_warmup": -1}} | training.ema_warmup | expected 0 (off) or a number of updates >= 1, got -1
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "loss": {"type": "wgan"}} | loss.type | expected one of [non_saturating
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "schema": 2}      | schema             | expected 1, got 2
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"mirrors": ["mnist/"]}} | data.mirrors | expected absolute http(s) or file URLs
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"storage": "disk"}} | data.storage | memory
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "conditional": {"num_classes": 10, "labels": "kmeans"}} | conditional.labels | clusters
            {"generator": {"type": "wgan_gp"}, "discriminator": {"type": "dense"}}                | generator.type     | expected a registered network type
            {"generator": {"type": "dense", "hidden": [0]}, "discriminator": {"type": "dense"}}   | generator.hidden   | expected layer sizes >= 1
            {"generator": {"type": "dense", "hiden": [10]}, "discriminator": {"type": "dense"}}   | generator.hiden    | unknown field
            {"generator": {"type": "dense"}, "discriminator": {"type": "dcgan", "kernel": 0}}      | discriminator.kernel | expected a kernel size in [1, 9]
            {"generator": {"hidden": [10]}, "discriminator": {"type": "dense"}}                  | generator.type     | expected a registered network type
            {"generator": "dense", "discriminator": {"type": "dense"}}                            | generator          | expected an object with a "type"
            {"discriminator": {"type": "dense"}}                                                  | generator          | missing
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"type": "cifar"}} | data.type | expected one of [mnist, fashion_mnist, image_folder]
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"batch_size": 64, "batch_size": 32}} | training | Duplicate field 'batch_size'
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "loss": {"type": "hinge", "label_smoothing": 0.1}} | loss.label_smoothing | expected 0 for the hinge loss
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "loss": {"gradient_penalty": -1}} | loss.gradient_penalty | expected a weight >= 0
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "loss": {"n_critic": 0}} | loss.n_critic | expected an integer >= 1
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "conditional": {"num_classes": 1}} | conditional.num_classes | expected 0 (unconditional) or a class count
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "training": {"ema_decay": 1.0}} | training.ema_decay | expected 0 (off) or a decay in (0, 1)
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"type": "image_folder"}} | data.location | expected the folder of images
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"type": "image_folder", "location": "x", "channels": 2}} | data.channels | expected 1 (grey) or 3 (RGB)
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"}, "data": {"height": 32}} | data.height | expected no height, width, channels or labels for IDX data
            {"generator": {"type": "dense"}, "discriminator": {"type": "dense"},                  | ''                 | malformed JSON at line 1
            """)
    void badConfigsNameThePathAndWhatWasExpected(String json, String path, String message) {
        assertThatThrownBy(() -> reader.read(json, "bad.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad.json")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo(path));
    }

    @Test
    void missingAndEmptyFilesAreNamed() {
        assertThatThrownBy(() -> reader.read(Path.of("no-such.json"))).hasMessage("no-such.json: no such file");
        assertThatThrownBy(() -> reader.read(" ", "empty.json")).hasMessageContaining("empty.json: the file is empty");
    }

    @Test
    void dcganRejectsImagesItCannotHalveEvenly() throws Exception {
        GanConfig c = reader.read("{\"generator\": {\"type\": \"dcgan\", \"filters\": [8, 8, 8]},"
                + "\"discriminator\": {\"type\": \"dcgan\"}}", "x.json");
        assertThatThrownBy(() -> GanRun.buildGenerator(c, reader.registry(), new dev.jgan.api.ImageShape(1, 28, 28)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.filters");
    }
}
