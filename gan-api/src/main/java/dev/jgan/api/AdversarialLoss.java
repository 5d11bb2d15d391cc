package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GAN loss on discriminator logits, split into the three terms a training step needs.
 *
 * <p>Each term returns the batch-mean loss and its gradient with respect to the logits (of the mean, so it already
 * carries the 1/n factor). The discriminator minimises {@code real + fake}; the generator minimises
 * {@code generator}. See {@link Losses} for the named strategies.
 */
public interface AdversarialLoss {

    /** A loss value and dLoss/dLogits. */
    record Term(double value, INDArray gradient) {}

    /** Registered name, as written in configs. */
    String name();

    /** Discriminator's loss on logits of real images. */
    Term discriminatorReal(INDArray realLogits);

    /** Discriminator's loss on logits of generated images. */
    Term discriminatorFake(INDArray fakeLogits);

    /** Generator's loss on the discriminator's logits of generated images. */
    Term generator(INDArray fakeLogits);
}
