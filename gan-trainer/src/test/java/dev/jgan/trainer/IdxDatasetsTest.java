package dev.jgan.trainer;

import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.data.IdxFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.ImageDataset;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetsTest {

    private static DataConfig config(Path location, boolean download, List<java.net.URI> mirrors, int limit) {
        return new DataConfig("mnist", location, "test", download, mirrors, limit);
    }

    @Test
    void readsGzippedMnistScaledToMinusOneOne() throws Exception {
        ImageDataset d = IdxDatasets.load(config(TestSupport.mnistDir(), false, null, 1000));
        assertThat(d.size()).isEqualTo(1000);
        assertThat(d.shape()).isEqualTo(new dev.jgan.api.ImageShape(1, 28, 28));
        assertThat(d.images().minNumber().doubleValue()).isEqualTo(-1.0);
        assertThat(d.images().maxNumber().doubleValue()).isEqualTo(1.0);
        assertThat(d.labels()[0]).isEqualTo(7); // the first MNIST test digit is a 7
    }

    @Test
    void readsUncompressedFilesToo(@TempDir Path tmp) throws Exception {
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(TestSupport.mnistDir().resolve(f + ".gz")))) {
                Files.copy(in, tmp.resolve(f));
            }
        }
        ImageDataset d = IdxDatasets.load(config(tmp, false, null, 10));
        assertThat(d.size()).isEqualTo(10);
        assertThat(d.labels()[0]).isEqualTo(7);
    }

    @Test
    void bytesRoundTripThroughTheScaling() throws Exception {
        IdxFiles.Images img = IdxFiles.readImages(TestSupport.mnistDir().resolve("t10k-images-idx3-ubyte.gz"), 5);
        ImageDataset d = IdxDatasets.toDataset("x", img, null);
        assertThat(IdxDatasets.toBytes(d.images())).isEqualTo(img.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxFiles.writeImages(out, 5, 28, 28, img.pixels());
        Path file = Files.createTempFile("five", ".idx");
        Files.write(file, out.toByteArray());
        assertThat(IdxFiles.readImages(file, 0).pixels()).isEqualTo(img.pixels());
        Files.delete(file);
    }

    @Test
    void missingFilesOfflineSayWhichFilesToPutWhere(@TempDir Path tmp) {
        assertThatThrownBy(() -> IdxDatasets.load(config(tmp, false, null, 0)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("missing t10k-images-idx3-ubyte.gz");
    }

    @Test
    void wrongMagicTruncationAndCountMismatchAreNamed(@TempDir Path tmp) throws Exception {
        Path labels = TestSupport.mnistDir().resolve("t10k-labels-idx1-ubyte.gz");
        assertThatThrownBy(() -> IdxFiles.readImages(labels, 0))
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz: not an IDX image file (magic number 2049");

        byte[] header = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
        Path truncated = Files.write(tmp.resolve("t10k-images-idx3-ubyte"), header);
        assertThatThrownBy(() -> IdxFiles.readImages(truncated, 0))
                .hasMessageContaining("truncated (header says 10 images of 28x28");

        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> IdxFiles.readImages(empty, 0)).hasMessageContaining("no IDX header");

        Path dir = Files.createDirectories(tmp.resolve("mismatch"));
        TestSupport.copyOf(TestSupport.mnistDir().resolve("t10k-images-idx3-ubyte.gz"), dir);
        try (OutputStream o = Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte"))) {
            o.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3});
        }
        assertThatThrownBy(() -> IdxDatasets.load(config(dir, false, null, 0)))
                .hasMessageContaining("3 labels for 10000 images");
    }

    @Test
    void downloadsOnceFromAMirrorAndVerifiesTheChecksum(@TempDir Path tmp) throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        TestSupport.copyOf(TestSupport.mnistDir().resolve("t10k-images-idx3-ubyte.gz"), mirror);
        TestSupport.copyOf(TestSupport.mnistDir().resolve("t10k-labels-idx1-ubyte.gz"), mirror);
        Path target = tmp.resolve("data");

        ImageDataset d = IdxDatasets.load(config(target, true, List.of(mirror.toUri()), 0));

        assertThat(d.size()).isEqualTo(10_000);
        assertThat(target.resolve("t10k-images-idx3-ubyte.gz")).exists();
        assertThat(target.resolve("t10k-labels-idx1-ubyte.gz")).exists();
        try (var files = Files.list(target)) {
            assertThat(files.filter(f -> f.toString().endsWith(".part"))).isEmpty();
        }
        // Second load reads the local copies: an unreachable mirror no longer matters.
        assertThat(IdxDatasets.load(config(target, true, List.of(tmp.resolve("gone").toUri()), 5)).size())
                .isEqualTo(5);
    }

    @Test
    void aCorruptDownloadIsRejectedAndNotKept(@TempDir Path tmp) throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Files.write(mirror.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        Path target = tmp.resolve("data");

        assertThatThrownBy(() -> IdxDatasets.load(config(target, true, List.of(mirror.toUri()), 0)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("Offline, put the mnist IDX files");
        assertThat(target.resolve("t10k-images-idx3-ubyte.gz")).doesNotExist();
    }
}
