package dev.jgan.api;

/** The batches of one epoch of an {@link ImageSource}, in order; not thread-safe. */
public interface ImageBatches extends AutoCloseable {

    /**
     * The next {@code n} images, or null when fewer than {@code n} remain in the epoch.
     *
     * @throws java.io.UncheckedIOException when a streaming source cannot read its files
     */
    ImageBatch next(int n);

    /** Releases what reading ahead holds (threads, buffers). */
    @Override
    void close();
}
