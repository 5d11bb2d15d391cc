package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jgan.api.ImageShape;
import dev.jgan.api.Kernels;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.EngineConfig;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.run.Checkpoints;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume trusts nothing it cannot verify, and falls back past checkpoints it cannot use. */
class ResumeGuardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static GanConfig config(Path out) throws Exception {
        return TestSupport.config("""
                {"seed": 8, "latent": {"size": 16}, "data": {"limit": 320},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32, 16]},
                 "training": {"epochs": 2, "batch_size": 32, "max_steps": 8, "grid_size": 4},
                 "checkpoints": {"every_steps": 4, "keep": 2},
                 "metrics": {"at_end": false},
                 "output": {"directory": "%s", "name": "r"}}
                """.formatted(out.toString().replace('\\', '/')));
    }

    private static Path trainedRun(Path tmp) throws Exception {
        return new GanRun(config(tmp), "r", new ConfigReader()).run().directory();
    }

    private static GanRun resumeTo12(Path dir, Verification v) throws Exception {
        return GanRun.resume(dir, new ConfigReader(), c -> c.withTraining(c.training().withLimits(2, 12, 0)), v);
    }

    /** Rewrites a checkpoint file and its manifest entry, as if a damaged file had been checksummed again. */
    private static void forge(Path checkpoint, String file, byte[] content) throws Exception {
        Files.write(checkpoint.resolve(file), content);
        ObjectNode manifest = (ObjectNode) JSON.readTree(checkpoint.resolve("manifest.json").toFile());
        manifest.put(file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        Files.writeString(checkpoint.resolve("manifest.json"), JSON.writeValueAsString(manifest));
    }

    @Test
    void theKernelsAreTheConfigsAndAResumeUnderTheOtherOnesIsRefused(@TempDir Path tmp) throws Exception {
        GanConfig reference = config(tmp).withEngine(new EngineConfig(Kernels.REFERENCE));
        ImageShape mnist = new ImageShape(1, 28, 28);
        var registry = new ConfigReader().registry();
        assertThat(((Dl4jGenerator) GanRun.buildGenerator(config(tmp), registry, mnist)).usesFastPath()).isTrue();
        assertThat(((Dl4jDiscriminator) GanRun.buildDiscriminator(config(tmp), registry, mnist)).usesFastPath())
                .isTrue();
        assertThat(((Dl4jGenerator) GanRun.buildGenerator(reference, registry, mnist)).usesFastPath()).isFalse();
        assertThat(((Dl4jDiscriminator) GanRun.buildDiscriminator(reference, registry, mnist)).usesFastPath())
                .isFalse();

        Path dir = trainedRun(tmp);
        Path configFile = dir.resolve("config.json");
        ObjectNode written = (ObjectNode) JSON.readTree(configFile.toFile());
        assertThat(written.path("engine").path("kernels").asText()).isEqualTo("fast");
        ((ObjectNode) written.get("engine")).put("kernels", "reference");
        Files.writeString(configFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(written));
        assertThatThrownBy(() -> resumeTo12(dir, Verification.REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("engine.kernels (\"fast\" -> \"reference\") was changed since the run wrote it");
    }

    @Test
    void aMissingOrBlankProvenanceIsRefusedUnlessTheUserWaivesIt(@TempDir Path tmp) throws Exception {
        Path dir = trainedRun(tmp);
        ObjectNode provenance = (ObjectNode) JSON.readTree(dir.resolve("provenance.json").toFile());
        provenance.put("config_sha256", "");
        Files.writeString(dir.resolve("provenance.json"), JSON.writeValueAsString(provenance));
        List<String> steps = Files.readAllLines(dir.resolve("steps.csv"));
        assertThatThrownBy(() -> resumeTo12(dir, Verification.REQUIRED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("records no config_sha256")
                .hasMessageContaining("--accept-unverified");

        Files.delete(dir.resolve("provenance.json"));
        assertThatThrownBy(() -> resumeTo12(dir, Verification.REQUIRED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("provenance.json: is missing");
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).isEqualTo(steps);

        GanRun.Result waived = resumeTo12(dir, Verification.WAIVED_WHERE_MISSING).run();
        assertThat(waived.summary().steps()).isEqualTo(12);
    }

    @Test
    void aCheckpointWithAnImpossibleStepOrUnreadableFilesIsSkippedForThePreviousOne(@TempDir Path tmp)
            throws Exception {
        Path dir = trainedRun(tmp);
        Checkpoints ckpts = new Checkpoints(dir, 2, new ConfigReader().mapper());
        List<Path> all = ckpts.list();
        assertThat(all).extracting(p -> p.getFileName().toString()).containsExactly("step-000000008",
                "step-000000004");
        String state = Files.readString(all.get(0).resolve("state.json"));
        ObjectNode negative = (ObjectNode) JSON.readTree(state);
        negative.put("step", -48);
        forge(all.get(0), "state.json", JSON.writeValueAsBytes(negative));
        assertThat(ckpts.latest().orElseThrow().state().step()).isEqualTo(4);

        // the newest is now step 8 again, its state intact but its generator unreadable; the manifest matches
        forge(all.get(0), "state.json", state.getBytes());
        forge(all.get(0), "generator.zip", "not a zip".getBytes());
        GanRun.Result resumed = resumeTo12(dir, Verification.REQUIRED).run();
        assertThat(resumed.summary().steps()).isEqualTo(12);
        List<String> rows = Files.readAllLines(dir.resolve("steps.csv"));
        assertThat(rows).hasSize(13);
        assertThat(rows.get(5)).startsWith("5,");     // went on from step 4
    }

    /** The zip without its optimizer-state entry (as an older or hand-made checkpoint would be). */
    private static byte[] withoutOptimizerState(Path zip) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip));
             var out = new java.util.zip.ZipOutputStream(bytes)) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().equals("updaterState.bin")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.transferTo(out);
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aCheckpointWithoutOptimizerStateIsSkippedAndRefusedWhenNoneHasIt(@TempDir Path tmp) throws Exception {
        Path dir = trainedRun(tmp);
        List<Path> all = new Checkpoints(dir, 2, new ConfigReader().mapper()).list();
        forge(all.get(0), "discriminator.zip", withoutOptimizerState(all.get(0).resolve("discriminator.zip")));
        Path copy = tmp.resolve("copy");
        copyTree(dir, copy);
        GanRun.Result resumed = resumeTo12(dir, Verification.REQUIRED).run();
        assertThat(resumed.summary().steps()).isEqualTo(12);
        // went on from step 4, not from the stripped step 8
        assertThat(JSON.readTree(dir.resolve("provenance.json").toFile()).get("resumed_from_step").asLong())
                .isEqualTo(4);

        List<Path> older = new Checkpoints(copy, 2, new ConfigReader().mapper()).list();
        forge(older.get(1), "generator.zip", withoutOptimizerState(older.get(1).resolve("generator.zip")));
        List<String> before = Files.readAllLines(copy.resolve("steps.csv"));
        assertThatThrownBy(() -> resumeTo12(copy, Verification.REQUIRED).run())
                .hasMessageContaining("optimizer state");
        assertThat(Files.readAllLines(copy.resolve("steps.csv"))).isEqualTo(before);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aRunWithoutADataFingerprintIsRefusedUnlessWaived(@TempDir Path tmp) throws Exception {
        Path dir = trainedRun(tmp);
        ObjectNode provenance = (ObjectNode) JSON.readTree(dir.resolve("provenance.json").toFile());
        ((ObjectNode) provenance.get("data")).remove("fingerprint");
        Files.writeString(dir.resolve("provenance.json"), JSON.writeValueAsString(provenance));
        assertThatThrownBy(() -> resumeTo12(dir, Verification.REQUIRED).run())
                .isInstanceOf(DataException.class).hasMessageContaining("records no fingerprint");
        assertThat(resumeTo12(dir, Verification.WAIVED_WHERE_MISSING).run().summary().steps()).isEqualTo(12);
    }
}
