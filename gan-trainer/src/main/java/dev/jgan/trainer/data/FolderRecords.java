package dev.jgan.trainer.data;

import dev.jgan.api.ImageShape;
import java.io.IOException;

/** A folder of image files decoded one at a time (ImageIO, resized as {@link ImageFolders} does). */
final class FolderRecords implements ImageRecords {

    private final ImageFolders.Listing listing;
    private final ImageShape shape;

    FolderRecords(ImageFolders.Listing listing, ImageShape shape) {
        this.listing = listing;
        this.shape = shape;
    }

    @Override
    public String name() {
        return listing.describe();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int count() {
        return listing.files().size();
    }

    @Override
    public int classes() {
        return listing.labels() == null ? 0 : listing.classes().size();
    }

    @Override
    public int label(int index) {
        return listing.labels()[index];
    }

    @Override
    public void read(int[] indices, int[] slots, int from, int to, float[] out) throws IOException {
        for (int i = from; i < to; i++) {
            try {
                ImageFolders.decode(listing.files().get(indices[i]), shape, out, slots[i] * shape.size());
            } catch (DataException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {}
}
