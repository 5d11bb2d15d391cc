package dev.jgan.api;

/** Shape of one image, channels-first (C×H×W), as generators produce and discriminators consume it. */
public record ImageShape(int channels, int height, int width) {

    /** Validates the components. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** Number of values in one image. */
    public int size() {
        return channels * height * width;
    }

    /** Batch shape {@code [n, C, H, W]}. */
    public long[] batchShape(long n) {
        return new long[] {n, channels, height, width};
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
