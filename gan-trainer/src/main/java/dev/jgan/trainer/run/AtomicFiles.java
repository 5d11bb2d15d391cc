package dev.jgan.trainer.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output file whole or not at all: into a temporary file with a unique name in the same directory, then
 * renamed over the target in one atomic step. Two writers of one output never mix (each has its own temporary file;
 * the last rename wins whole), a reader sees the old file or the new one, and a failed write leaves neither a
 * temporary file nor an empty target. Temporary names end in {@code .tmp}; a resumed run removes those a killed
 * process left.
 */
public final class AtomicFiles {

    /** Writes the content of a temporary file. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content into {@code tmp}. */
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code file} with {@code content}; returns {@code file}. */
    public static Path write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createUnique(dir, "." + file.getFileName() + ".");
        // a process that shuts down mid-write (SIGTERM to `jgan sample`) removes its temporary file too
        Thread cleanup = new Thread(() -> {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next resume removes what is left
            }
        }, "jgan-temporary-file");
        boolean hooked = hook(cleanup, true);
        try {
            content.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            if (hooked) {
                hook(cleanup, false);
            }
        }
        return file;
    }

    /** Adds or removes a shutdown hook; false when the JVM is already shutting down. */
    private static boolean hook(Thread thread, boolean add) {
        try {
            if (add) {
                Runtime.getRuntime().addShutdownHook(thread);
            } else {
                Runtime.getRuntime().removeShutdownHook(thread);
            }
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /**
     * A new empty file {@code prefix<random>.tmp} in {@code dir}, created with the default permissions (the umask's,
     * as the target would get; {@code Files.createTempFile} would make it readable by its owner only).
     */
    private static Path createUnique(Path dir, String prefix) throws IOException {
        while (true) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** Writes {@code text} as UTF-8 to {@code file}; returns {@code file}. */
    public static Path writeString(Path file, CharSequence text) throws IOException {
        return write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
