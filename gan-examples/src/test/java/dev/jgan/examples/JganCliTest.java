package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on the embedded MNIST subset: train, sample (IDX and PNG), info, bad input. */
class JganCliTest {

    record Run(int code, String out, String err) {}

    /** Runs the command line in-process, capturing its output. */
    static Run jgan(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = JganCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainSampleAndInfoOnTheEmbeddedSubset(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("tiny.json"), """
                {"latent": {"size": 16},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 1, "batch_size": 16, "grid_size": 4}}
                """);

        Run train = jgan("train", "--config", config.toString(), "--max-steps", "3", "--output",
                tmp.resolve("runs").toString());

        assertThat(train.code()).as(train.err()).isZero();
        Matcher grid = Pattern.compile("sample grid:\\s+(\\S+)").matcher(train.out());
        assertThat(grid.find()).as(train.out()).isTrue();
        assertThat(Path.of(grid.group(1))).exists();
        Matcher gen = Pattern.compile("generator:\\s+(\\S+)").matcher(train.out());
        assertThat(gen.find()).isTrue();
        assertThat(Files.readString(Path.of(gen.group(1)).resolveSibling("provenance.json")))
                .contains("embedded MNIST subset");

        Path idx = tmp.resolve("out/samples.idx");
        Run sample = jgan("sample", "--model", gen.group(1), "--count", "10", "--out", idx.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(idx))) {
            assertThat(new int[] {in.readInt(), in.readInt(), in.readInt(), in.readInt()})
                    .containsExactly(2051, 10, 28, 28);
        }
        assertThat(Files.size(idx)).isEqualTo(16 + 10 * 784);

        Path png = tmp.resolve("grid.png");
        assertThat(jgan("sample", "--model", gen.group(1), "--count", "9", "--out", png.toString()).code()).isZero();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(3 * 30 + 2);

        Run info = jgan("info", "--model", gen.group(1));
        assertThat(info.code()).isZero();
        assertThat(info.out()).contains("role:        generator").contains("type:        dense")
                .contains("latent size: 16").contains("config_sha256");
    }

    @Test
    void badInputExitsTwoWithAMessageAndNoStackTrace(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"),
                "{\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"dense\"},"
                        + " \"training\": {\"batch_size\": -4}}");
        Run run = jgan("train", "--config", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("training.batch_size: expected an integer >= 1, got -4")
                .doesNotContain("\tat ");

        Run missing = jgan("sample", "--model", tmp.resolve("nope.zip").toString(), "--out", "x.png");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.zip: no such file");

        Path notZip = Files.writeString(tmp.resolve("g.zip"), "hello");
        Run garbage = jgan("info", "--model", notZip.toString());
        assertThat(garbage.code()).isEqualTo(2);
        assertThat(garbage.err()).contains("not a model file");

        assertThat(jgan("train").code()).isEqualTo(2);
        assertThat(jgan("sample", "--model", notZip.toString(), "--out", "x.jpg").err())
                .contains("--out: expected a file name ending in .png or .idx");
    }
}
