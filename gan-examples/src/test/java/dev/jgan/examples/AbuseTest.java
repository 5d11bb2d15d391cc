package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input gets exit 2 and one clear line, allocates nothing it was told to, and changes nothing saved. */
class AbuseTest {

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void trainOnce() throws Exception {
        Path config = Files.writeString(tmp.resolve("a.json"), """
                {"latent": {"size": 8}, "data": {"limit": 256},
                 "generator": {"type": "dense", "hidden": [16]}, "discriminator": {"type": "dense", "hidden": [16]},
                 "training": {"epochs": 1, "batch_size": 64, "grid_size": 4}, "metrics": {"at_end": false}}
                """);
        assertThat(JganCli.run("train", "--config", config.toString(), "--output", tmp.resolve("runs").toString()))
                .isZero();
        try (var s = Files.list(tmp.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
    }

    /** Runs the command line; returns exit code and standard error. */
    private static Object[] jgan(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = JganCli.run(args);
            return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void refused(String expected, String... args) {
        Object[] r = jgan(args);
        assertThat((int) r[0]).as((String) r[1]).isEqualTo(2);
        assertThat((String) r[1]).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** A .npy file: header dict {@code header} padded as NumPy does, then {@code data}. */
    static Path npy(String name, String header, byte[] data) throws Exception {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII)).put(data);
        return Files.write(tmp.resolve(name), b.array());
    }

    private static byte[] floats(float[] v, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(order);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void npyFilesWithUnsupportedOrLyingHeadersAreRefused() throws Exception {
        refused("dtype '<c8' is not supported", "evaluate", "--samples", npy("c.npy",
                "{'descr': '<c8', 'fortran_order': False, 'shape': (2, 784), }", new byte[2 * 784 * 8]).toString());
        refused("dtype '|O' is not supported", "evaluate", "--samples", npy("o.npy",
                "{'descr': '|O', 'fortran_order': False, 'shape': (2, 784), }", new byte[16]).toString());
        refused("the header declares 78400000 values", "evaluate", "--samples", npy("big.npy",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 784), }", new byte[64]).toString());
        refused("not a .npy file", "evaluate", "--samples",
                Files.write(tmp.resolve("fake.npy"), "hello".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void evaluateRefusesTooFewSamplesAndImagesOfAnotherShape() throws Exception {
        refused("holds 1 image; the metrics need at least 100", "evaluate", "--samples", npy("one.npy",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 784), }", new byte[784 * 4]).toString());
        refused("holds 0 images; the metrics need at least 100", "evaluate", "--samples", npy("none.npy",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 28, 28), }", new byte[0]).toString());
        refused("expected [N, 28, 28], [N, 1, 28, 28] or [N, 784] (grey 28x28 images, as the MNIST reference), "
                + "got (50, 3, 28, 28)", "evaluate", "--samples", npy("rgb.npy",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (50, 3, 28, 28), }",
                new byte[50 * 3 * 784 * 4]).toString());
    }

    @Test
    void npyByteOrderAndFortranOrderReadAsTheSameImages() throws Exception {
        int n = 200;
        float[] c = new float[n * 784];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextFloat() < 0.8 ? 0 : r.nextFloat();
        }
        float[] f = new float[c.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) {
                f[j * n + i] = c[i * 784 + j];
            }
        }
        Path le = npy("le.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (200, 784), }",
                floats(c, ByteOrder.LITTLE_ENDIAN));
        Path be = npy("be.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (200, 784), }",
                floats(c, ByteOrder.BIG_ENDIAN));
        Path fo = npy("fo.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (200, 784), }",
                floats(f, ByteOrder.LITTLE_ENDIAN));
        var a = MetricsCommands.Evaluate.readSamples(le);
        assertThat(MetricsCommands.Evaluate.readSamples(be)).isEqualTo(a);
        assertThat(MetricsCommands.Evaluate.readSamples(fo)).isEqualTo(a);
        assertThat(a.getFloat(0, 0)).isEqualTo(c[0] * 2 - 1);
    }

    @Test
    void countsAndSizesAreBoundedBeforeAnythingIsAllocated() throws Exception {
        String g = run.resolve("generator.zip").toString();
        refused("--count: expected at most 10000000 images", "sample", "--model", g, "--count", "100000000",
                "--out", tmp.resolve("s.idx").toString());
        refused("a PNG grid holds at most 10000 images", "sample", "--model", g, "--count", "20000", "--out",
                tmp.resolve("s.png").toString());
        refused("--rows in [1, 100]", "interpolate", "--model", g, "--rows", "1000000", "--out",
                tmp.resolve("w.png").toString());
        refused("--steps in [2, 1000]", "interpolate", "--model", g, "--steps", "100000000", "--out",
                tmp.resolve("w.png").toString());
        Path lr = Files.writeString(tmp.resolve("lr.json"), "{\"generator\": {\"type\": \"dense\"}, "
                + "\"discriminator\": {\"type\": \"dense\"}, \"optimizers\": {\"generator\": {\"learning_rate\": "
                + "1e308}}}");
        refused("optimizers.generator.learning_rate: expected a number in [1e-10, 10]", "train", "--config",
                lr.toString());
        Path tiny = Files.writeString(tmp.resolve("lr2.json"), "{\"optimizers\": {\"discriminator\": "
                + "{\"learning_rate\": 1e-320}}}");
        refused("optimizers.discriminator.learning_rate: expected a number in [1e-10, 10]", "train", "--config",
                tiny.toString());
        Path batch = Files.writeString(tmp.resolve("b.json"), "{\"generator\": {\"type\": \"dense\"}, "
                + "\"discriminator\": {\"type\": \"dense\"}, \"training\": {\"batch_size\": 2147483647, "
                + "\"d_steps\": 2}}");
        refused("training.batch_size: expected an integer <= 65536", "train", "--config", batch.toString());
        Path wide = Files.writeString(tmp.resolve("w.json"), "{\"generator\": {\"type\": \"dense\", \"hidden\": "
                + "[12000000]}, \"discriminator\": {\"type\": \"dense\"}}");
        refused("generator.hidden: expected layer sizes <= 65536", "train", "--config", wide.toString());
        Path heavy = Files.writeString(tmp.resolve("h.json"), "{\"generator\": {\"type\": \"dense\", \"hidden\": "
                + "[65536, 65536]}, \"discriminator\": {\"type\": \"dense\"}, \"data\": {\"limit\": 64}}");
        // 100 -> 65536 -> 65536 -> 784, weights and biases, and batch norm's four per unit on the hidden layers
        long params = 100L * 65536 + 65536 + 65536L * 65536 + 65536 + 65536L * 784 + 784 + 2 * 4 * 65536;
        refused("generator.hidden: expected a network of at most 100000000 parameters, got " + params + " parameters",
                "train", "--config", heavy.toString(), "--output", tmp.resolve("heavy").toString());
        Path convs = Files.writeString(tmp.resolve("cv.json"), "{\"generator\": {\"type\": \"dcgan\", "
                + "\"filters\": [4096, 4096]}, \"discriminator\": {\"type\": \"dense\"}, \"data\": {\"limit\": 64}}");
        refused("generator.filters: expected a network of at most 100000000 parameters", "train", "--config",
                convs.toString(), "--output", tmp.resolve("heavy").toString());
        assertThat(tmp.resolve("heavy")).as("refused before a run directory is made").doesNotExist();
        Path latin1 = Files.write(tmp.resolve("l.json"), "{\"seed\": 1, \"x\": \"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1));
        refused("not UTF-8 text", "train", "--config", latin1.toString());
        Path images = Files.createDirectories(tmp.resolve("huge"));
        // a valid PNG header declaring 40000x40000 pixels, with no pixel data after it
        ByteBuffer png = ByteBuffer.allocate(33);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13).put("IHDR".getBytes(
                StandardCharsets.US_ASCII)).putInt(40000).putInt(40000).put(new byte[] {8, 0, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png.array(), 12, 17);
        png.putInt((int) crc.getValue());
        Files.write(images.resolve("big.png"), png.array());
        Path folder = Files.writeString(tmp.resolve("f.json"), "{\"data\": {\"type\": \"image_folder\", "
                + "\"location\": \"" + images.toString().replace('\\', '/') + "\", \"height\": 8, \"width\": 8, "
                + "\"channels\": 1}, \"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": "
                + "\"dense\"}}");
        refused("the image header declares 40000x40000 pixels", "train", "--config", folder.toString());
    }

    @Test
    void streamedIdxSamplesMatchTheInMemoryOnes() throws Exception {
        String g = run.resolve("generator.zip").toString();
        Path idx = tmp.resolve("many.idx");
        assertThat((int) jgan("sample", "--model", g, "--count", "2500", "--out", idx.toString())[0]).isZero();
        var images = dev.jgan.trainer.data.IdxFiles.readImages(idx, 0);
        assertThat(images.count()).isEqualTo(2500);
        // the same images as GeneratorModel makes in memory, though written 256 at a time
        var model = dev.jgan.inference.GeneratorModel.load(run.resolve("generator.zip"));
        byte[] expected = dev.jgan.trainer.data.IdxDatasets.toBytes(model.sample(2500, 1));
        assertThat(images.pixels()).isEqualTo(expected);
        assertThat(temporaries()).isEmpty();
    }

    private static java.util.List<Path> temporaries() throws java.io.IOException {
        try (var s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void sigtermWhileSamplingLeavesNeitherTheOutputNorATemporaryFile() throws Exception {
        Path out = tmp.resolve("stopped.idx");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), JganCli.class.getName(), "sample", "--model",
                run.resolve("generator.zip").toString(), "--count", "5000000", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("stopped.log").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (p.isAlive() && temporaries().stream().noneMatch(f -> f.toString().contains("stopped.idx"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still sampling when its temporary file appeared").isTrue();
        Thread.sleep(300);
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotExist();
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void sampleWritesMoreImagesThanItsMemoryCouldHold() throws Exception {
        int count = 300_000; // 940 MB as floats, 235 MB as the IDX bytes
        Path out = tmp.resolve("bounded.idx");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx96m",
                "-Dorg.bytedeco.javacpp.maxbytes=256m", "-cp", System.getProperty("java.class.path"),
                JganCli.class.getName(), "sample", "--model", run.resolve("generator.zip").toString(), "--count",
                Integer.toString(count), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("bounded.log").toFile()).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peakKb = 0;
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (java.io.IOException e) {
                // not Linux, or the process just ended
            }
            Thread.sleep(50);
        }
        assertThat(p.waitFor()).as(Files.readString(tmp.resolve("bounded.log"))).isZero();
        assertThat(Files.size(out)).isEqualTo(16 + (long) count * 28 * 28);
        assertThat(peakKb * 1024).as("peak resident memory").isLessThan(700L << 20);
    }

    @Test
    void aFinishedOrEditedRunIsNotResumedAndNothingChanges() throws Exception {
        String steps = Files.readString(run.resolve("steps.csv"));
        refused("the run has already trained 1 epochs", "train", "--resume", run.toString());
        assertThat(Files.readString(run.resolve("steps.csv"))).isEqualTo(steps);

        Path edited = tmp.resolve("edited");
        copyTree(run, edited);
        String config = Files.readString(edited.resolve("config.json"));
        Files.writeString(edited.resolve("config.json"), config.replace("\"batch_size\" : 64",
                "\"batch_size\" : 32"));
        refused("config.json: training.batch_size (64 -> 32) was changed since the run wrote it", "train", "--resume", edited.toString(), "--epochs",
                "3");
        assertThat(Files.readString(edited.resolve("steps.csv"))).isEqualTo(steps);
        assertThat(new ObjectMapper().readTree(edited.resolve("provenance.json").toFile()).path("status").asText())
                .isEqualTo("finished");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
