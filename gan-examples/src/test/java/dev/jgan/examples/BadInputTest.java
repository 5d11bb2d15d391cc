package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the command line: each case must exit with code 2 and one message that names the file or field
 * and what was expected, with no stack trace.
 */
class BadInputTest {

    @TempDir
    static Path tmp;
    static Path generator;
    static Path discriminator;
    static Path runDir;

    private static final String NETS = "\"generator\": {\"type\": \"dense\", \"hidden\": [16]},"
            + " \"discriminator\": {\"type\": \"dense\", \"hidden\": [16]}";

    /** One bad input: what to set up, the arguments, and a fragment the message must contain. */
    record Case(String name, String[] args, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        Path config = Files.writeString(tmp.resolve("ok.json"), "{" + NETS
                + ", \"training\": {\"epochs\": 1, \"batch_size\": 16, \"max_steps\": 2, \"grid_size\": 4}}");
        int code = JganCli.run("train", "--config", config.toString(), "--output", tmp.resolve("runs").toString());
        assertThat(code).isZero();
        try (var dirs = Files.list(tmp.resolve("runs"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        generator = runDir.resolve("generator.zip");
        discriminator = runDir.resolve("discriminator.zip");
    }

    private static String[] args(String... a) {
        return a;
    }

    private static Case config(String name, String json, String expected) throws Exception {
        Path f = Files.writeString(tmp.resolve(name.replaceAll("[^a-z0-9]+", "-") + ".json"), json);
        return new Case("config: " + name, args("train", "--config", f.toString(), "--max-steps", "1",
                "--output", tmp.resolve("bad-runs").toString()), expected);
    }

    private static String with(String extra) {
        return "{" + NETS + ", " + extra + "}";
    }

    private static Case data(String name, Path dir, String expected) throws Exception {
        return config("data " + name, with("\"data\": {\"location\": \"" + dir.toString().replace('\\', '/')
                + "\", \"download\": false}"), expected);
    }

    private static Path dataDir(String name, byte[] images, byte[] labels) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data-" + name));
        if (images != null) {
            Files.write(dir.resolve("train-images-idx3-ubyte"), images);
        }
        if (labels != null) {
            Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        }
        return dir;
    }

    private static byte[] idxImages(int n, int rows, int cols, int bytes) {
        var b = java.nio.ByteBuffer.allocate(16 + bytes).putInt(2051).putInt(n).putInt(rows).putInt(cols);
        return b.array();
    }

    private static byte[] idxLabels(int n) {
        return java.nio.ByteBuffer.allocate(8 + n).putInt(2049).putInt(n).array();
    }

    private static Path zip(String name, String entry, String content) throws Exception {
        Path f = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return f;
    }

    static List<Case> cases() throws Exception {
        List<Case> c = new ArrayList<>();
        // Config files
        c.add(config("malformed json", "{\"generator\": {", "malformed JSON at line 1"));
        c.add(config("empty file", "  ", "the file is empty"));
        c.add(config("not an object", "[1, 2]", "expected an object"));
        c.add(config("unknown top field", with("\"trainig\": {}"), "trainig: unknown field"));
        c.add(config("unknown nested field", with("\"training\": {\"epoch\": 3}"), "training.epoch: unknown field"));
        c.add(config("string for integer", with("\"training\": {\"batch_size\": \"64\"}"),
                "training.batch_size: expected an integer"));
        c.add(config("float for integer", with("\"training\": {\"epochs\": 1.5}"),
                "training.epochs: expected an integer"));
        c.add(config("batch size zero", with("\"training\": {\"batch_size\": 0}"),
                "training.batch_size: expected an integer >= 1, got 0"));
        c.add(config("epochs zero", with("\"training\": {\"epochs\": 0}"),
                "training.epochs: expected an integer >= 1, got 0"));
        c.add(config("d steps zero", with("\"training\": {\"d_steps\": 0}"), "training.d_steps"));
        c.add(config("negative learning rate", with("\"optimizers\": {\"generator\": {\"learning_rate\": -0.1}}"),
                "optimizers.generator.learning_rate: expected a finite number > 0, got -0.1"));
        c.add(config("beta1 out of range", with("\"optimizers\": {\"discriminator\": {\"beta1\": 1.5}}"),
                "optimizers.discriminator.beta1: expected a number in [0, 1)"));
        c.add(config("latent size zero", with("\"latent\": {\"size\": 0}"), "latent.size: expected a latent size >= 1"));
        c.add(config("unknown distribution", with("\"latent\": {\"distribution\": \"cauchy\"}"),
                "latent.distribution: expected one of \"normal\", \"uniform\""));
        c.add(config("unknown network type", "{\"generator\": {\"type\": \"wgan_gp\"}, \"discriminator\": {\"type\": "
                + "\"dense\"}}", "generator.type: expected a registered network type, one of [dcgan, dense, resnet]"));
        c.add(config("network without type", "{\"generator\": {\"hidden\": [8]}, \"discriminator\": {\"type\": "
                + "\"dense\"}}", "generator.type"));
        c.add(config("network not an object", "{\"generator\": \"dense\", \"discriminator\": {\"type\": \"dense\"}}",
                "generator: expected an object"));
        c.add(config("missing discriminator", "{\"generator\": {\"type\": \"dense\"}}", "discriminator: missing"));
        c.add(config("unknown loss", with("\"loss\": {\"type\": \"wgan\"}"), "loss.type: expected one of"));
        c.add(config("wrong schema", with("\"schema\": 2"), "schema: expected 1, got 2"));
        c.add(config("dropout one", "{\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"dense\","
                + " \"dropout\": 1.0}}", "discriminator.dropout: expected a probability in [0, 1)"));
        c.add(config("empty hidden list", "{\"generator\": {\"type\": \"dense\", \"hidden\": []}, \"discriminator\":"
                + " {\"type\": \"dense\"}}", "generator.hidden: expected a non-empty list"));
        c.add(config("kernel zero", "{\"generator\": {\"type\": \"dcgan\", \"kernel\": 0}, \"discriminator\":"
                + " {\"type\": \"dcgan\"}}", "generator.kernel: expected a kernel size in [1, 9]"));
        c.add(config("generator cannot make the data's size", "{\"generator\": {\"type\": \"dcgan\", \"filters\": "
                + "[8, 8, 8]}, \"discriminator\": {\"type\": \"dcgan\"}}", "generator.filters: expected at most as "
                + "many entries as the image sides (28x28) can be halved evenly"));
        c.add(config("unknown data type", with("\"data\": {\"type\": \"cifar10\"}"), "data.type: expected one of"));
        c.add(config("unknown split", with("\"data\": {\"split\": \"val\"}"), "data.split"));
        c.add(config("negative limit", with("\"data\": {\"limit\": -1}"), "data.limit"));
        c.add(config("duplicate key", with("\"seed\": 1, \"seed\": 2"), "Duplicate field 'seed'"));
        c.add(config("seed not a number", with("\"seed\": \"abc\""), "seed: expected an integer"));
        c.add(config("checkpoint keep zero", with("\"checkpoints\": {\"keep\": 0}"), "checkpoints.keep"));
        c.add(config("bad run name", with("\"output\": {\"name\": \"a/b\"}"), "output.name"));
        c.add(new Case("config: missing file", args("train", "--config", tmp.resolve("nope.json").toString()),
                "nope.json: no such file"));
        c.add(new Case("config: empty path", args("train", "--config", ""),
                "config: expected the path of a JSON config file, got an empty string"));
        c.add(new Case("config: a folder", args("train", "--config", tmp.toString()),
                "is a folder; expected a JSON config file"));
        // Data files
        c.add(data("missing files", Files.createDirectories(tmp.resolve("empty-data")),
                "missing train-images-idx3-ubyte.gz"));
        c.add(data("location is a file", Files.writeString(tmp.resolve("a-file"), "x"),
                "a-file: not a directory; data.location (--data-dir) is the folder that holds the mnist IDX files"));
        c.add(data("wrong magic", dataDir("magic", idxLabels(4), idxLabels(4)),
                "train-images-idx3-ubyte: not an IDX image file (magic number 2049, expected 2051)"));
        c.add(data("truncated images", dataDir("trunc", idxImages(100, 28, 28, 784), idxLabels(100)),
                "truncated (header says 100 images of 28x28"));
        c.add(data("empty images", dataDir("empty", new byte[0], idxLabels(1)), "no IDX header"));
        c.add(data("label count mismatch", dataDir("count", idxImages(3, 28, 28, 3 * 784), idxLabels(2)),
                "2 labels for 3 images"));
        c.add(config("image size the network cannot take", "{\"generator\": {\"type\": \"dcgan\"}, \"discriminator\":"
                + " {\"type\": \"dcgan\"}, \"data\": {\"location\": \"" + dataDir("size27", idxImages(64, 27, 27,
                64 * 27 * 27), idxLabels(64)).toString().replace('\\', '/') + "\", \"download\": false}}",
                "generator.filters: expected at most as many entries as the image sides (27x27)"));
        // Output
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path underFile = Files.writeString(tmp.resolve("output-under-file.json"), with("\"output\": {\"directory\": \""
                + file.toString().replace('\\', '/') + "/runs\"}"));
        c.add(new Case("output: directory under a file", args("train", "--config", underFile.toString(),
                "--max-steps", "1"), "output.directory: cannot create the run directory"));
        // Model files
        c.add(new Case("model: missing", args("sample", "--model", tmp.resolve("none.zip").toString(), "--out",
                tmp.resolve("x.png").toString()), "none.zip: no such file"));
        Path text = Files.writeString(tmp.resolve("text.zip"), "not a zip");
        c.add(new Case("model: not a zip", args("info", "--model", text.toString()), "not a model file"));
        byte[] g = Files.readAllBytes(generator);
        Path truncated = Files.write(tmp.resolve("truncated.zip"), Arrays.copyOf(g, g.length / 3));
        c.add(new Case("model: truncated", args("sample", "--model", truncated.toString(), "--out",
                tmp.resolve("x.png").toString()), "truncated.zip: not a model file"));
        c.add(new Case("model: discriminator for generator", args("sample", "--model", discriminator.toString(),
                "--out", tmp.resolve("x.png").toString()), "holds a discriminator; expected a generator"));
        c.add(new Case("model: plain zip", args("info", "--model", zip("plain.zip", "a.txt", "hi").toString()),
                "not a jgan model file"));
        c.add(new Case("model: newer format", args("info", "--model", zip("newer.zip", "jgan-metadata.json",
                "{\"role\": \"generator\", \"type\": \"dense\", \"latent_size\": 4, \"image\": {\"channels\": 1, "
                        + "\"height\": 2, \"width\": 2}, \"format_version\": 99}").toString()),
                "model format version 99 by a newer jgan"));
        // Arguments
        c.add(new Case("args: train without config", args("train"), "give either --config FILE or --resume"));
        c.add(new Case("args: config and resume", args("train", "--config", "a.json", "--resume", "b"),
                "give either --config FILE or --resume"));
        c.add(new Case("args: unknown option", args("train", "--confg", "a.json"), "Unknown options: '--confg'"));
        c.add(new Case("args: unknown command", args("fit"), "Unmatched argument at index 0: 'fit'"));
        c.add(new Case("args: count zero", args("sample", "--model", generator.toString(), "--count", "0", "--out",
                "x.png"), "--count: expected an integer >= 1, got 0"));
        c.add(new Case("args: count not a number", args("sample", "--model", generator.toString(), "--count", "ten",
                "--out", "x.png"), "Invalid value for option '--count': 'ten' is not an int"));
        c.add(new Case("args: unknown output format", args("sample", "--model", generator.toString(), "--out",
                "x.jpg"), "--out: expected a file name ending in .png or .idx"));
        Path blocker = Files.writeString(tmp.resolve("blocker"), "x");
        c.add(new Case("args: output folder is a file", args("sample", "--model", generator.toString(), "--count",
                "4", "--out", blocker.resolve("x.png").toString()), "blocker: a file is in the way where a folder is "
                + "needed"));
        c.add(new Case("args: resume a non-run directory", args("train", "--resume", tmp.toString()),
                "not a run directory: it has no config.json"));
        Path noCkpt = Files.createDirectories(tmp.resolve("no-ckpt"));
        Files.copy(runDir.resolve("config.json"), noCkpt.resolve("config.json"));
        c.add(new Case("args: resume without provenance", args("train", "--resume", noCkpt.toString()),
                "provenance.json: is missing"));
        Path noCkpt2 = Files.createDirectories(tmp.resolve("no-ckpt2"));
        Files.copy(runDir.resolve("config.json"), noCkpt2.resolve("config.json"));
        Files.copy(runDir.resolve("provenance.json"), noCkpt2.resolve("provenance.json"));
        c.add(new Case("args: resume without checkpoints", args("train", "--resume", noCkpt2.toString()),
                "no intact checkpoint to resume from"));
        Path placeholder = Files.createDirectories(tmp.resolve("placeholder"));
        Files.writeString(placeholder.resolve("config.json"), "{}");
        c.add(new Case("args: report on a placeholder config", args("report", placeholder.toString()),
                "config.json: not a run's config: expected an object with generator and discriminator"));
        Path placeholderLog = Files.createDirectories(tmp.resolve("placeholder-log"));
        Files.copy(runDir.resolve("config.json"), placeholderLog.resolve("config.json"));
        Files.writeString(placeholderLog.resolve("steps.csv"), "a,b\n1,2\n");
        c.add(new Case("args: report on a placeholder log", args("report", placeholderLog.toString()),
                "steps.csv: expected a CSV log starting with the header step,epoch,..., got 'a,b'"));
        Path placeholderProvenance = Files.createDirectories(tmp.resolve("placeholder-provenance"));
        Files.copy(runDir.resolve("config.json"), placeholderProvenance.resolve("config.json"));
        Files.writeString(placeholderProvenance.resolve("provenance.json"), "[]");
        c.add(new Case("args: report on a placeholder provenance", args("report", placeholderProvenance.toString()),
                "provenance.json: expected a JSON object"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoWithAClearMessage(Case c) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = JganCli.run(c.args());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(message).isEqualTo(2);
        assertThat(message).contains(c.expected()).doesNotContain("\tat ").doesNotContain("Exception:");
    }
}
