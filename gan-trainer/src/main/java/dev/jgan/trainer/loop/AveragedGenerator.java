package dev.jgan.trainer.loop;

import dev.jgan.api.Generator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generator that samples (and saves) with an exponential moving average of another generator's weights; it swaps
 * the averaged weights in for the call and the trained ones back afterwards. It samples and saves; it does not
 * train, so it implements {@link Generator} only.
 */
public final class AveragedGenerator implements Generator {

    private final TrainableGenerator trained;
    private final Supplier<INDArray> averaged;

    AveragedGenerator(TrainableGenerator trained, Supplier<INDArray> averaged) {
        this.trained = trained;
        this.averaged = averaged;
    }

    /** {@code trained} with the weights {@code averaged} (same length as its parameters) when sampling or saving. */
    public static AveragedGenerator of(TrainableGenerator trained, INDArray averaged) {
        INDArray copy = averaged.dup();
        return new AveragedGenerator(trained, () -> copy);
    }

    /**
     * {@code trained} with the weights {@code averaged} supplies at each call (for a driver whose average changes
     * between calls without a trainer of its own).
     */
    public static AveragedGenerator following(TrainableGenerator trained, Supplier<INDArray> averaged) {
        return new AveragedGenerator(trained, averaged);
    }

    private <T> T withAverage(Supplier<T> action) {
        INDArray own = trained.params();
        trained.setParams(averaged.get());
        try {
            return action.get();
        } finally {
            trained.setParams(own);
        }
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (training) {
            throw new UnsupportedOperationException("the averaged generator samples; train the generator itself");
        }
        return withAverage(() -> trained.forward(input, false));
    }

    @Override
    public void save(Path file, ModelMetadata metadata) throws IOException {
        IOException[] failure = new IOException[1];
        withAverage(() -> {
            try {
                trained.save(file, metadata);
            } catch (IOException e) {
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @Override
    public int latentSize() {
        return trained.latentSize();
    }

    @Override
    public ImageShape imageShape() {
        return trained.imageShape();
    }

    @Override
    public int numClasses() {
        return trained.numClasses();
    }

    @Override
    public String type() {
        return trained.type();
    }

    @Override
    public long numParams() {
        return trained.numParams();
    }

    @Override
    public INDArray params() {
        return averaged.get();
    }

}
