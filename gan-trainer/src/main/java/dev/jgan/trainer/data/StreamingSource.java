package dev.jgan.trainer.data;

import dev.jgan.api.EpochOrder;
import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images read from disk as training goes: an epoch visits every image once in {@link EpochOrder#permutation} order
 * (the order an in-memory {@link dev.jgan.api.ImageDataset} of the same images would use, so the two train alike),
 * and a background thread reads the next chunk of that order while the current one is trained on. Memory holds two
 * chunks of {@code chunk} images plus one int per image for the order, whatever the number of images.
 *
 * <p>The read-ahead is written here rather than taken from DL4J's {@code AsyncDataSetIterator}: that prefetches
 * whatever order an iterator yields, and a run needs a seeded order over the whole dataset that it can re-enter at
 * any step when resuming. Within a chunk, images are read in file order (sorted indices), so a chunk is one forward
 * pass over the file rather than random seeks.
 */
public final class StreamingSource implements ImageSource, AutoCloseable {

    private final ImageRecords records;
    private final int chunk;

    StreamingSource(ImageRecords records, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        this.records = records;
        this.chunk = chunk;
    }

    @Override
    public String name() {
        return records.name() + " (streamed)";
    }

    @Override
    public ImageShape shape() {
        return records.shape();
    }

    @Override
    public int size() {
        return records.count();
    }

    @Override
    public int classes() {
        return records.classes();
    }

    /** Closes the files. */
    @Override
    public void close() throws IOException {
        records.close();
    }

    @Override
    public ImageBatches epoch(long seed, int epoch, int skip) {
        return new Reader(EpochOrder.permutation(seed, size(), epoch), Math.min(skip, size()));
    }

    /** A chunk read ahead: images {@code order[start .. start + count)}. */
    private record Chunk(int start, int count, float[] pixels, int[] labels) {}

    private final class Reader implements ImageBatches {
        private final int[] order;
        private final int imageSize = shape().size();
        private final ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jgan-read-ahead");
            t.setDaemon(true);
            return t;
        });
        private int position;
        private Chunk current;
        private Future<Chunk> pending;

        Reader(int[] order, int skip) {
            this.order = order;
            this.position = skip;
            this.pending = ahead.submit(() -> read(skip));
        }

        private Chunk read(int start) throws IOException {
            int count = Math.min(chunk, order.length - start);
            int[] indices = Arrays.copyOfRange(order, start, start + count);
            int[] slots = new int[count];
            long[] keyed = new long[count];
            for (int i = 0; i < count; i++) {
                keyed[i] = ((long) indices[i] << 32) | i;
            }
            Arrays.sort(keyed);
            for (int i = 0; i < count; i++) {
                indices[i] = (int) (keyed[i] >>> 32);
                slots[i] = (int) keyed[i];
            }
            float[] pixels = new float[count * imageSize];
            records.read(indices, slots, 0, count, pixels);
            int[] labels = null;
            if (records.classes() > 0) {
                labels = new int[count];
                for (int i = 0; i < count; i++) {
                    labels[i] = records.label(order[start + i]);
                }
            }
            return new Chunk(start, count, pixels, labels);
        }

        private void advance() {
            try {
                current = pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + records.name(), e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? new UncheckedIOException(records.name() + ": "
                        + io.getMessage(), io) : new IllegalStateException(records.name() + ": " + cause, cause);
            }
            int next = current.start() + current.count();
            pending = next < order.length ? ahead.submit(() -> read(next)) : null;
        }

        @Override
        public ImageBatch next(int n) {
            if (order.length - position < n) {
                return null;
            }
            float[] out = new float[n * imageSize];
            int[] labels = records.classes() > 0 ? new int[n] : null;
            int filled = 0;
            while (filled < n) {
                if (current == null || position >= current.start() + current.count()) {
                    advance();
                }
                int offset = position - current.start();
                int take = Math.min(n - filled, current.count() - offset);
                System.arraycopy(current.pixels(), offset * imageSize, out, filled * imageSize, take * imageSize);
                if (labels != null) {
                    System.arraycopy(current.labels(), offset, labels, filled, take);
                }
                filled += take;
                position += take;
            }
            return new ImageBatch(Nd4j.create(out, new long[] {n, imageSize}, 'c'), labels);
        }

        @Override
        public void close() {
            // no interrupt: interrupting a thread inside FileChannel I/O closes the channel for every reader
            if (pending != null) {
                pending.cancel(false);
            }
            ahead.shutdown();
        }
    }
}
