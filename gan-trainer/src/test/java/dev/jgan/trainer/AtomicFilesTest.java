package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.trainer.run.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are written whole or not at all, and two writers of one output never mix. */
class AtomicFilesTest {

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void twoWritersOfOneOutputLeaveOneWholeVersionAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("same.idx");
        byte[] a = new byte[300_000];
        byte[] b = new byte[200_000];
        java.util.Arrays.fill(a, (byte) 'a');
        java.util.Arrays.fill(b, (byte) 'b');
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                List<Future<Path>> writes = new ArrayList<>();
                for (byte[] content : List.of(a, b)) {
                    writes.add(pool.submit(() -> AtomicFiles.write(out, tmp -> {
                        for (int i = 0; i < content.length; i += 10_000) {   // slow, so that the writes overlap
                            Files.write(tmp, java.util.Arrays.copyOfRange(content, i, i + 10_000),
                                    java.nio.file.StandardOpenOption.APPEND);
                        }
                    })));
                }
                for (Future<Path> w : writes) {
                    w.get();
                }
                byte[] have = Files.readAllBytes(out);
                assertThat(have).satisfiesAnyOf(h -> assertThat(h).isEqualTo(a), h -> assertThat(h).isEqualTo(b));
                assertThat(listing(dir)).containsExactly(out);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedWriteLeavesTheEarlierFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path out = AtomicFiles.writeString(dir.resolve("evaluate.json"), "{\"fd\": 1.0}\n");
        assertThatThrownBy(() -> AtomicFiles.write(out, tmp -> {
            Files.writeString(tmp, "{\"fd\": ");
            throw new IOException("No space left on device");
        })).hasMessageContaining("No space left on device");
        assertThat(Files.readString(out)).isEqualTo("{\"fd\": 1.0}\n");
        assertThat(listing(dir)).containsExactly(out);

        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("fresh.json"), tmp -> {
            throw new IOException("stopped");
        })).hasMessage("stopped");
        assertThat(listing(dir)).containsExactly(out);    // no empty final file either
    }

    @Test
    void anOutputGetsTheSamePermissionsAsAnyNewFileThere(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain.json"));
        Path atomic = AtomicFiles.writeString(dir.resolve("config.json"), "{}");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
    }
}
