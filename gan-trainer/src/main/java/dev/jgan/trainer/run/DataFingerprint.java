package dev.jgan.trainer.run;

import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageSource;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What identifies a run's training images, so that a resume can tell whether it would train on the same ones: the
 * image count, shape and number of classes, and a SHA-256 of the pixels and labels of a fixed sample (the first
 * {@value #SAMPLE} images of the source's order for seed 0, epoch 1). Reading the sample costs one batch.
 */
final class DataFingerprint {

    /** Images hashed. */
    static final int SAMPLE = 256;

    private DataFingerprint() {}

    /** The fingerprint of {@code data}: {@code sha256:<hex>} of its size, shape, classes and sampled images. */
    static String of(ImageSource data) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update((data.size() + "|" + data.shape() + "|" + data.classes() + "|").getBytes(
                StandardCharsets.UTF_8));
        int n = Math.min(SAMPLE, data.size());
        if (n > 0) {
            try (ImageBatches batches = data.epoch(0, 1, 0)) {
                ImageBatch b = batches.next(n);
                if (b != null) {
                    float[] pixels = Nd4j.toFlattened('c', b.images())
                            .castTo(DataType.FLOAT).toFloatVector();
                    ByteBuffer bytes = ByteBuffer.allocate(pixels.length * Float.BYTES);
                    bytes.asFloatBuffer().put(pixels);
                    sha.update(bytes);
                    if (b.labels() != null) {
                        ByteBuffer labels = ByteBuffer.allocate(b.labels().length * Integer.BYTES);
                        labels.asIntBuffer().put(b.labels());
                        sha.update(labels);
                    }
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
}
