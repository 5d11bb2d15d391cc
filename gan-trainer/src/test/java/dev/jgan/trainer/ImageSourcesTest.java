package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.DataSources;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.data.IdxFiles;
import dev.jgan.trainer.data.IteratorSource;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ImageSource;
import dev.jgan.dl4j.ModelFiles;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every source of images gives a run the same thing: streamed IDX files and image folders yield exactly the batches
 * of the same images held in memory (so a streamed run trains, and resumes, bit for bit as an in-memory one), and a
 * DL4J DataSetIterator's batches are re-cut and rescaled without losing or reordering an image.
 */
class ImageSourcesTest {

    private static final int N = 700;

    @TempDir
    static Path idx;

    private static ImageDataset memory;

    @BeforeAll
    static void writeUncompressedIdx() throws Exception {
        ImageDataset embedded = IdxDatasets.load(new DataConfig("mnist", null, "train", false, null, N));
        byte[] pixels = IdxDatasets.toBytes(embedded.images());
        try (OutputStream out = Files.newOutputStream(idx.resolve("train-images-idx3-ubyte"))) {
            IdxFiles.writeImages(out, N, 28, 28, pixels);
        }
        byte[] labels = new byte[N];
        int[] classes = embedded.labels();
        for (int i = 0; i < N; i++) {
            labels[i] = (byte) classes[i];
        }
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8 + N)
                .putInt(IdxFiles.LABELS_MAGIC).putInt(N).put(labels).array());
        memory = IdxDatasets.load(new DataConfig("mnist", idx, "train", false, null, 0));
    }

    private static DataConfig streamed(Path dir, int chunk) {
        return new DataConfig("mnist", dir, "train", false, null, 0, null, null, null, null,
                DataConfig.Storage.STREAM, chunk);
    }

    private static List<ImageBatch> epoch(ImageSource source, long seed, int epoch, int skip, int batch) {
        List<ImageBatch> out = new ArrayList<>();
        try (ImageBatches b = source.epoch(seed, epoch, skip)) {
            for (ImageBatch next = b.next(batch); next != null; next = b.next(batch)) {
                out.add(next);
            }
        }
        return out;
    }

    private static float[] flat(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static void assertSameBatches(List<ImageBatch> actual, List<ImageBatch> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(flat(actual.get(i).images())).as("batch %d", i).containsExactly(flat(expected.get(i)
                    .images()));
            assertThat(actual.get(i).labels()).as("labels of batch %d", i).containsExactly(expected.get(i).labels());
        }
    }

    @Test
    void streamedIdxImagesComeInTheOrderAndValuesOfTheSameImagesInMemory() throws Exception {
        ImageSource stream = DataSources.open(streamed(idx, 100)); // chunks of 100: batches of 64 straddle them
        assertThat(stream.size()).isEqualTo(N);
        assertThat(stream.classes()).isEqualTo(memory.classes()).isEqualTo(10);
        assertThat(stream.shape()).isEqualTo(new ImageShape(1, 28, 28));
        for (int epoch : new int[] {1, 2}) {
            for (int skip : new int[] {0, 130}) {
                List<ImageBatch> expected = epoch(memory, 7, epoch, skip, 64);
                assertThat(expected).hasSize((N - skip) / 64);
                assertSameBatches(epoch(stream, 7, epoch, skip, 64), expected);
            }
        }
        assertThat(flat(epoch(stream, 7, 1, 0, 64).get(0).images())).as("another epoch, another order")
                .isNotEqualTo(flat(epoch(stream, 7, 2, 0, 64).get(0).images()));
        ((AutoCloseable) stream).close();
    }

    private static GanConfig config(Path out, DataConfig.Storage storage, long maxSteps) throws Exception {
        return TestSupport.config("""
                {"seed": 5, "latent": {"size": 16},
                 "data": {"location": "%s", "storage": "%s", "chunk": 50, "download": false},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32, 16]},
                 "training": {"epochs": 2, "batch_size": 32, "max_steps": %d, "grid_size": 4},
                 "checkpoints": {"every_steps": 5, "keep": 2},
                 "output": {"directory": "%s", "name": "s"}}
                """.formatted(idx.toString().replace('\\', '/'), storage.name().toLowerCase(), maxSteps,
                out.toString().replace('\\', '/')));
    }

    @Test
    void aStreamedRunStoppedAndResumedEndsBitIdenticalToAnInMemoryRun(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        GanRun.Result whole = new GanRun(config(tmp.resolve("m"), DataConfig.Storage.MEMORY, 0), "m", reader)
                .run();
        assertThat(whole.summary().steps()).isEqualTo(42); // 2 epochs x 21 iterations of 32

        Path dir = new GanRun(config(tmp.resolve("s"), DataConfig.Storage.STREAM, 17), "s", reader).run()
                .directory();
        GanRun.Result resumed = GanRun.resume(dir, reader, c -> c.withTraining(new TrainingConfig(2, 32, 1, 1, 0L,
                4))).run();

        assertThat(resumed.summary().steps()).isEqualTo(42);
        assertThat(ModelFiles.loadGenerator(resumed.generatorFile()).params().toFloatVector())
                .containsExactly(ModelFiles.loadGenerator(whole.generatorFile()).params().toFloatVector());
        assertThat(Files.readAllLines(dir.resolve("steps.csv")).subList(1, 43))
                .isEqualTo(Files.readAllLines(whole.directory().resolve("steps.csv")).subList(1, 43));
        assertThat(Files.readString(dir.resolve("provenance.json"))).contains("(streamed)");
    }

    @Test
    void streamingRefusesGzippedTruncatedAndMissingImageFilesByName(@TempDir Path tmp) throws Exception {
        Path gz = Files.createDirectories(tmp.resolve("gz"));
        Files.copy(TestSupport.mnistDir().resolve("train-images-idx3-ubyte.gz"), gz.resolve(
                "train-images-idx3-ubyte"));
        assertThatThrownBy(() -> DataSources.open(streamed(gz, 64))).isInstanceOf(DataException.class)
                .hasMessageContaining("gzipped").hasMessageContaining("gunzip -k");

        Path cut = Files.createDirectories(tmp.resolve("cut"));
        byte[] whole = Files.readAllBytes(idx.resolve("train-images-idx3-ubyte"));
        Files.write(cut.resolve("train-images-idx3-ubyte"), Arrays.copyOf(whole, whole.length - 1));
        assertThatThrownBy(() -> DataSources.open(streamed(cut, 64))).isInstanceOf(DataException.class)
                .hasMessageContaining("truncated").hasMessageContaining(String.valueOf(whole.length - 1));

        Path none = Files.createDirectories(tmp.resolve("none"));
        assertThatThrownBy(() -> DataSources.open(streamed(none, 64))).isInstanceOf(DataException.class)
                .hasMessageContaining("uncompressed train-images-idx3-ubyte");
    }

    @Test
    void aStreamedImageFolderGivesTheImagesOfTheLoadedOne(@TempDir Path tmp) throws Exception {
        for (int k = 0; k < 2; k++) {
            Path dir = Files.createDirectories(tmp.resolve("class" + k));
            for (int i = 0; i < 23; i++) {
                BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 20; x++) {
                        img.setRGB(x, y, (x * 12 + y * 7 + i * 31 + k * 100) * 0x010305 & 0xffffff);
                    }
                }
                ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            }
        }
        DataConfig folder = new DataConfig("image_folder", tmp, null, null, null, null, 8, 8, 3, true);
        ImageDataset loaded = IdxDatasets.load(folder);
        ImageSource stream = DataSources.open(new DataConfig("image_folder", tmp, null, null, null, null, 8, 8, 3,
                true, DataConfig.Storage.STREAM, 10));
        assertThat(stream.classes()).isEqualTo(loaded.classes()).isEqualTo(2);
        assertSameBatches(epoch(stream, 3, 1, 5, 8), epoch(loaded, 3, 1, 5, 8));
    }

    @Test
    void aDataSetIteratorIsRecutToTheRunsBatchSizeAndRescaled() {
        ImageDataset small = new ImageDataset("slice", memory.shape(), memory.images().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 300), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .dup(), Arrays.copyOf(memory.labels(), 300));
        var features = small.images().add(1).divi(2); // DL4J's image iterators give [0, 1]
        var oneHot = Nd4j.zeros(300, 10);
        for (int i = 0; i < 300; i++) {
            oneHot.putScalar(i, small.labels()[i], 1);
        }
        var iterator = new ViewIterator(new DataSet(features.reshape(300, 1, 28, 28), oneHot), 37);
        IteratorSource source = new IteratorSource("view", iterator, memory.shape(), IteratorSource.Range.ZERO_ONE,
                IteratorSource.Labels.ONE_HOT);
        assertThat(source.size()).isEqualTo(300);
        assertThat(source.classes()).isEqualTo(10);

        List<ImageBatch> batches = epoch(source, 1, 1, 10, 64); // skip 10, then 4 batches of 64 (290 left)
        assertThat(batches).hasSize(4);
        for (int b = 0; b < batches.size(); b++) {
            int from = 10 + 64 * b;
            float[] expected = small.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 64),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup().data().asFloat();
            float[] actual = flat(batches.get(b).images());
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(batches.get(b).labels()).containsExactly(Arrays.copyOfRange(small.labels(), from,
                    from + 64));
        }
        assertThat(epoch(source, 1, 2, 0, 64)).as("a second epoch resets the iterator").hasSize(4);
    }

    @Test
    void aGanRunTrainsOnAnySourceGivenToIt(@TempDir Path tmp) throws Exception {
        var features = memory.images().add(1).divi(2);
        var iterator = new ViewIterator(new DataSet(features, Nd4j.zeros(N, 1)), 50);
        IteratorSource source = new IteratorSource("DL4J iterator over 700 MNIST digits", iterator, memory.shape(),
                IteratorSource.Range.ZERO_ONE, IteratorSource.Labels.NONE);
        GanRun.Result r = new GanRun(config(tmp, DataConfig.Storage.MEMORY, 12), "it", new ConfigReader())
                .withData(source).run();
        assertThat(r.summary().steps()).isEqualTo(12);
        assertThat(Files.readAllLines(r.directory().resolve("steps.csv"))).hasSize(13);
        assertThat(Files.readString(r.directory().resolve("provenance.json")))
                .contains("DL4J iterator over 700 MNIST digits");
    }
}
