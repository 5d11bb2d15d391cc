package dev.jgan.api;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every network can do, trained or not: compute, report its parameters, and save itself. Training adds
 * {@link Trainable}; a view that samples with averaged weights implements this part only.
 */
public interface Network {

    /** The registered type name this network was built from (for example {@code "dense"}). */
    String type();

    /**
     * Runs the network. With {@code training} true, training-mode layers (batch norm, dropout) behave as in training
     * and the activations are kept for the next backward pass of a {@link Trainable} network; a network that cannot
     * train throws {@link UnsupportedOperationException} for it.
     */
    INDArray forward(INDArray input, boolean training);

    /** Number of trainable values. */
    long numParams();

    /** A copy of all parameters as one flat vector. */
    INDArray params();

    /** Writes the network (with its optimizer state, if it has one) and {@code metadata} to {@code file}. */
    void save(Path file, ModelMetadata metadata) throws IOException;
}
