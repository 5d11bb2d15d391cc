package dev.jgan.api;

/**
 * Where training images come from: a fixed number of images of one shape, read in batches in an order that is a
 * function of (seed, epoch) only, so that a run repeats, and resumes mid-epoch exactly. An in-memory
 * {@link ImageDataset} is one; streaming sources read from disk as they go, so their memory does not grow with the
 * number of images.
 *
 * <p>Pixel values are in [-1, 1] (the range of a tanh generator); labels, when present, lie in
 * {@code [0, classes())}.
 */
public interface ImageSource {

    /** Where the images come from, for messages and provenance. */
    String name();

    /** The shape of one image. */
    ImageShape shape();

    /** Number of images in one epoch. */
    int size();

    /** Number of classes the labels range over, or 0 when the images have no labels. */
    int classes();

    /**
     * The images of epoch {@code epoch} in this source's order for {@code seed}, starting after the first
     * {@code skip} of them (to resume mid-epoch). The caller closes the batches it opened.
     */
    ImageBatches epoch(long seed, int epoch, int skip);
}
