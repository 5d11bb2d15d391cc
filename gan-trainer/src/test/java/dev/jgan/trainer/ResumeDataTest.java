package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.ImageDataset;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume trains on the run's own images or not at all: provenance.json fingerprints them. */
class ResumeDataTest {

    private static GanConfig config(Path out, long maxSteps, int limit) throws Exception {
        return TestSupport.config("""
                {"seed": 3, "latent": {"size": 16}, "data": {"limit": %d},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32, 16]},
                 "training": {"epochs": 2, "batch_size": 32, "max_steps": %d, "grid_size": 4},
                 "checkpoints": {"every_steps": 4, "keep": 2},
                 "metrics": {"at_end": false},
                 "output": {"directory": "%s", "name": "r"}}
                """.formatted(limit, maxSteps, out.toString().replace('\\', '/')));
    }

    /** The user's own images: the embedded subset's images 1000..1319, given from Java. */
    private static ImageDataset own() throws Exception {
        ImageDataset all = IdxDatasets.load(config(Path.of("unused"), 0, 1320).data());
        var idx = org.nd4j.linalg.indexing.NDArrayIndex.interval(1000, 1320);
        return new ImageDataset("my images", all.shape(),
                all.images().get(idx, org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), null);
    }

    private static float[] params(Path generatorFile) throws Exception {
        return ModelFiles.loadGenerator(generatorFile).params().toFloatVector();
    }

    @Test
    void aRunTrainedOnDataFromJavaIsNotResumedOnTheConfigsDataAndNothingChanges(@TempDir Path tmp)
            throws Exception {
        ConfigReader reader = new ConfigReader();
        Path dir = new GanRun(config(tmp, 6, 320), "r", reader).withData(own()).run().directory();
        byte[] provenance = Files.readAllBytes(dir.resolve("provenance.json"));
        List<String> steps = Files.readAllLines(dir.resolve("steps.csv"));
        JsonNode data = new ObjectMapper().readTree(provenance).get("data");
        assertThat(data.get("origin").asText()).isEqualTo("java");
        assertThat(data.get("fingerprint").asText()).startsWith("sha256:");

        // what `jgan train --resume` does: the config's data section (320 embedded images, not the user's)
        assertThatThrownBy(() -> GanRun.resume(dir, reader, c -> c.withTraining(c.training()
                .withLimits(2, 12, 0))).run())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("the training data differs from the run's")
                .hasMessageContaining("\"my images\", 320 images of")
                .hasMessageContaining(data.get("fingerprint").asText())
                .hasMessageContaining("GanRun.resume(runDirectory, new ConfigReader(), c -> c).withData(sameSource)");
        assertThat(Files.readAllBytes(dir.resolve("provenance.json"))).isEqualTo(provenance);
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).isEqualTo(steps);
    }

    @Test
    void aRunResumedOnTheSameDataFromJavaEndsBitIdenticalAndKeepsEachSessionsDataRecord(@TempDir Path tmp)
            throws Exception {
        ConfigReader reader = new ConfigReader();
        GanRun.Result whole = new GanRun(config(tmp.resolve("a"), 12, 320), "a", reader).withData(own()).run();
        Path dir = new GanRun(config(tmp.resolve("b"), 6, 320), "b", reader).withData(own()).run().directory();
        GanRun.Result resumed = GanRun.resume(dir, reader, c -> c.withTraining(c.training().withLimits(2, 12, 0)))
                .withData(own()).run();

        assertThat(resumed.summary().steps()).isEqualTo(12);
        assertThat(Arrays.equals(params(resumed.generatorFile()), params(whole.generatorFile()))).isTrue();
        JsonNode provenance = new ObjectMapper().readTree(dir.resolve("provenance.json").toFile());
        assertThat(provenance.get("earlier_sessions")).hasSize(1);
        assertThat(provenance.get("earlier_sessions").get(0).get("data"))
                .isEqualTo(provenance.get("data"));
        assertThat(provenance.get("earlier_sessions").get(0).get("steps").asLong()).isEqualTo(6);
    }

    @Test
    void aResumeOnAChangedDataSetIsRefused(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        Path dir = new GanRun(config(tmp, 6, 320), "r", reader).run().directory();
        // the same source and name, 352 images instead of 320
        assertThatThrownBy(() -> GanRun.resume(dir, reader, c -> c.withTraining(c.training()
                .withLimits(2, 12, 0))).withData(IdxDatasets.load(config(tmp, 0, 352).data())).run())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("320 images of")
                .hasMessageContaining("352 images of")
                .hasMessageContaining("Resume with the data the run was trained on");
    }
}
