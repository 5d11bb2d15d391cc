package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.Provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.dl4j.InvalidModelFileException;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A short DCGAN run writes every output it promises, and its saved networks come back identical. */
class GanRunTest {

    @Test
    void runDirectoryHoldsConfigProvenanceLossesGridsAndModels(@TempDir Path tmp) throws Exception {
        GanConfig config = TestSupport.config("""
                {"seed": 5,
                 "data": {"location": "%s", "limit": 128, "download": false},
                 "latent": {"size": 16},
                 "generator": {"type": "dcgan", "filters": [8, 4]},
                 "discriminator": {"type": "dcgan", "filters": [4, 8]},
                 "training": {"epochs": 2, "batch_size": 32, "grid_size": 9},
                 "output": {"directory": "%s", "name": "tiny"}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'),
                tmp.toString().replace('\\', '/')));

        GanRun.Result r = new GanRun(config, "ignored", new ConfigReader()).run();

        Path dir = r.directory();
        assertThat(dir.getFileName().toString()).startsWith("tiny-");
        assertThat(r.summary().epochs()).isEqualTo(2);
        assertThat(r.summary().steps()).isEqualTo(8);
        assertThat(new ConfigReader().read(dir.resolve("config.json"))).isEqualTo(config);
        List<String> steps = Files.readAllLines(dir.resolve("steps.csv"));
        assertThat(steps).hasSize(9).first().isEqualTo("step,epoch,d_loss,g_loss,d_real,d_fake");
        assertThat(Files.readAllLines(dir.resolve("epochs.csv"))).hasSize(3);
        assertThat(ImageIO.read(dir.resolve("samples/epoch-001.png").toFile()).getWidth()).isEqualTo(3 * 30 + 2);
        assertThat(dir.resolve("samples/epoch-002.png")).exists();
        assertThat(r.lastGrid()).isEqualTo(dir.resolve("samples/final.png"));

        @SuppressWarnings("unchecked")
        Map<String, Object> prov = new ObjectMapper().readValue(dir.resolve("provenance.json").toFile(), Map.class);
        assertThat(prov).containsKeys("library", "dl4j", "java", "nd4j_backend", "config_sha256", "data",
                "wall_seconds", "omp_num_threads");
        assertThat(prov.get("seed")).isEqualTo(5);
        assertThat(prov.get("steps")).isEqualTo(8);
        assertThat(prov.get("config_sha256")).isEqualTo(Provenance.sha256(Files.readString(dir.resolve("config.json"))));

        TrainableGenerator g = ModelFiles.loadGenerator(r.generatorFile());
        Discriminator d = ModelFiles.loadDiscriminator(r.discriminatorFile());
        INDArray z = config.latent().sample(4, Nd4j.getRandomFactory().getNewRandomInstance(1));
        INDArray images = g.generate(z);
        assertThat(images.shape()).containsExactly(4, 1, 28, 28);
        assertThat(d.logits(images).shape()).containsExactly(4, 1);
        assertThat(g.steps()).isEqualTo(8);
        assertThat(ModelFiles.readMetadata(r.generatorFile()).provenance()).containsEntry("seed", 5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelFiles.loadGenerator(r.discriminatorFile()))
                .isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("holds a discriminator; expected a generator");
    }

    @Test
    void savedGeneratorReproducesItsOutputExactly(@TempDir Path tmp) throws Exception {
        GanConfig c = TestSupport.config("{\"latent\": {\"size\": 8}, \"generator\": {\"type\": \"dense\","
                + "\"hidden\": [16]}, \"discriminator\": {\"type\": \"dense\"}}");
        TrainableGenerator g = GanRun.buildGenerator(c, dev.jgan.api.NetworkRegistry.global(),
                new dev.jgan.api.ImageShape(1, 28, 28));
        INDArray z = c.latent().sample(3, Nd4j.getRandomFactory().getNewRandomInstance(2));
        Path file = tmp.resolve("g.zip");
        g.save(file, new dev.jgan.api.ModelMetadata("generator", g.type(), 8, g.imageShape(), 1, Map.of()));
        assertThat(java.util.Arrays.equals(ModelFiles.loadGenerator(file).generate(z).dup().data().asFloat(),
                g.generate(z).dup().data().asFloat())).isTrue();
    }
}
