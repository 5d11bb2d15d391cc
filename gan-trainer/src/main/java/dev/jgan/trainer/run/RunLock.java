package dev.jgan.trainer.run;

import dev.jgan.trainer.data.DataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.net.InetAddress;

/**
 * Ownership of a run directory: an operating-system lock on {@code RUN_DIR/.lock}, held for the whole run, so that
 * one process at a time trains (or resumes) a run. The lock file names its holder (process id, host, start time);
 * the operating system releases the lock when the process ends, however it ends, so a killed run never leaves its
 * directory locked. A run that ends normally deletes the file; a killed one leaves it, unlocked.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file in a run directory. */
    static final String FILE = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes {@code directory}'s lock, or fails at once, changing nothing, when another process (or another run in
     * this one) holds it.
     */
    public static RunLock acquire(Path directory) throws DataException, IOException {
        Path file = directory.resolve(FILE);
        for (int attempt = 0; ; attempt++) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new DataException(directory + ": the run is being trained by another process (" + holder
                        + "); nothing was changed. Wait for it to finish, or stop it (Ctrl-C) and resume then");
            }
            if (!Files.exists(file) && attempt < 3) {
                // the previous holder deleted the file between our open and our lock: lock the new one
                channel.close();
                continue;
            }
            return owned(file, channel, lock);
        }
    }

    private static RunLock owned(Path file, FileChannel channel, FileLock lock) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        String info = "pid " + self.pid() + " on " + host() + " since " + Instant.now() + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new RunLock(file, channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(256);
            int n = channel.read(buf, 0);
            String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            // deleted while still held, so no other process can take a lock on the file between the two
            Files.deleteIfExists(file);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
