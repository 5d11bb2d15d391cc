package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.FastAdam;
import dev.jgan.dl4j.fast.FastPath;
import dev.jgan.dl4j.fast.ParameterAverage;
import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import dev.jgan.api.ImageShape;
import dev.jgan.api.Kernels;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.StepHooks;
import dev.jgan.api.Trainable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of the DL4J adapters: drives a {@link MultiLayerNetwork} or a {@link ComputationGraph} (one input, one output)
 * through DL4J's "external errors" path, so a network can be trained from a gradient computed outside it (the GAN
 * loss, or the discriminator's input gradient).
 *
 * <p>The network must end in a layer without a loss (Dense, Activation, Convolution...), not an {@code OutputLayer}:
 * DL4J cannot back-propagate an external error through an output layer. The CPU fast path ({@link FastPath},
 * {@link FastAdam}) covers multi-layer networks; graphs train on DL4J's own layer code.
 */
abstract class Dl4jNetwork implements Trainable {

    private final String type;
    private final Dl4jModel model;
    private Kernels kernels = Kernels.FAST;
    private Backprop backprop;
    private Updater updater;
    private SpectralNorm spectral;
    private int pending;
    private final LearningRates rates;

    Dl4jNetwork(String type, Model net) {
        this.type = Objects.requireNonNull(type, "type");
        this.model = Dl4jModel.of(Objects.requireNonNull(net, "net"));
        model.requireLossFreeOutput();
        this.rates = new LearningRates(model);
    }

    /**
     * Computes the training passes and optimizer steps with {@code kernels} from the next pass on (both work on the
     * same parameters, gradient view and Adam state, so this may change between steps, not within one). On a non-CPU
     * backend {@link Kernels#FAST} is the same as {@link Kernels#REFERENCE}.
     */
    @Override
    public final void useKernels(Kernels kernels) {
        if (pending > 0) {
            throw new IllegalStateException("cannot change kernels with a gradient pending");
        }
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.backprop = null;
    }

    /** The passes, built on first use so that a subclass's fields ({@link #labelPlanes()}) are set by then. */
    private Backprop backprop() {
        if (backprop == null) {
            boolean fast = kernels == Kernels.FAST && Nd4j.getEnvironment().isCPU() && model instanceof StackModel;
            int[] planes = labelPlanes();
            FastPath path = fast ? FastPath.of(((StackModel) model).model(), planes[0], planes[1]) : null;
            backprop = path != null ? new FastBackprop(((StackModel) model).model(), path) : model.dl4jBackprop();
            var dl4j = new Dl4jUpdater(model, backprop);
            FastAdam adam = fast ? FastAdam.of(((StackModel) model).model()) : null;
            Updater optimizer = adam != null ? new FastAdamUpdater(adam, dl4j) : dl4j;
            updater = spectral != null ? new SpectralNormUpdater(optimizer, spectral) : optimizer;
        }
        return backprop;
    }

    private Updater updater() {
        backprop();
        return updater;
    }

    /**
     * The image channels and one-hot label planes of the network's input when it takes a conditional image as
     * constant planes after the image's channels; {0, 0} otherwise. The fast path computes the planes' part of a
     * first convolution as a bias per class.
     */
    int[] labelPlanes() {
        return new int[] {0, 0};
    }

    /** Normalises every dense and convolution weight spectrally from now on (see {@link SpectralNorm}). */
    final void enableSpectralNorm(long seed) {
        spectral = new SpectralNorm(model.layers(), seed);
        backprop = null;
    }

    /** The spectral norms of the raw weights as last estimated, or an empty array without normalisation. */
    public double[] spectralNorms() {
        return spectral == null ? new double[0] : spectral.sigmas();
    }

    /** Whether any layer runs on {@link FastPath} rather than DL4J's layer code. */
    public boolean usesFastPath() {
        return !backprop().fastLayers().isEmpty();
    }

    /** Whether {@link FastPath} computes every layer that has parameters (so no DL4J layer code runs in training). */
    boolean fastPathCoversParameters() {
        return backprop().coversParameters();
    }

    /** Whether the optimizer step runs on {@link FastAdam} rather than DL4J's updater. */
    boolean usesFastAdam() {
        return updater() instanceof FastAdamUpdater
                || updater() instanceof SpectralNormUpdater sn && sn.optimizer() instanceof FastAdamUpdater;
    }

    /** The indices of the layers {@link FastPath} computes (empty without it). */
    public List<Integer> fastPathLayers() {
        return backprop().fastLayers();
    }

    /**
     * The wrapped multi-layer network (for advanced use, such as attaching DL4J listeners; changing it while
     * training is not supported).
     *
     * @throws IllegalStateException if this wraps a {@link ComputationGraph} (see {@link #model()})
     */
    public MultiLayerNetwork network() {
        if (model instanceof StackModel stack) {
            return stack.model();
        }
        throw new IllegalStateException("this " + role() + " wraps a ComputationGraph; use model()");
    }

    /** The wrapped network: a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    public Model model() {
        return model.model();
    }

    /** The wrapped network's adapter. */
    final Dl4jModel dl4jModel() {
        return model;
    }

    @Override
    public String type() {
        return type;
    }

    /** Reshapes a batch into what the network takes. */
    abstract INDArray toNetwork(INDArray input);

    /** Reshapes what the network gives back into the API's shape. */
    abstract INDArray fromNetwork(INDArray output);

    /** Reshapes a gradient w.r.t. the network's input into the API's input shape. */
    abstract INDArray inputFromNetwork(INDArray inputGradient);

    /** Reshapes a gradient w.r.t. the API's output into the network's output shape. */
    abstract INDArray outputToNetwork(INDArray outputGradient);

    static INDArray toImages(INDArray flatOrImages, ImageShape shape) {
        return flatOrImages.rank() == 4 ? flatOrImages : flatOrImages.reshape('c', shape.batchShape(flatOrImages.size(0)));
    }

    static INDArray toFlat(INDArray images) {
        return images.rank() == 2 ? images : images.reshape('c', images.size(0), images.length() / images.size(0));
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        return forwardNetwork(toNetwork(input), training);
    }

    /** Runs the network on input already in its own layout. */
    INDArray forwardNetwork(INDArray in, boolean training) {
        if (!training) {
            return fromNetwork(model.output(in));
        }
        return fromNetwork(backprop().forward(in));
    }

    @Override
    public void accumulate(INDArray outputGradient) {
        backprop().backward(outputToNetwork(outputGradient), pendingGradient(), InputGradient.SKIP);
        pending++;
    }

    @Override
    public INDArray backward(INDArray outputGradient) {
        INDArray in = backprop().backward(outputToNetwork(outputGradient), pendingGradient(), InputGradient.COMPUTE);
        pending++;
        return in == null ? null : inputFromNetwork(in);
    }

    /** Parameter gradients are written by the first pass after a step and added by the passes after it. */
    private ParameterGradient pendingGradient() {
        return pending > 0 ? ParameterGradient.ADD : ParameterGradient.WRITE;
    }

    @Override
    public INDArray inputGradient(INDArray outputGradient) {
        return inputFromNetwork(backprop().backward(outputToNetwork(outputGradient), ParameterGradient.SKIP,
                InputGradient.COMPUTE));
    }

    @Override
    public void step() {
        if (pending == 0) {
            throw new IllegalStateException("step() without a pending gradient: call backward() first");
        }
        int iteration = model.iterationCount();
        updater().step(iteration);
        model.setIterationCount(iteration + 1);
        pending = 0;
    }

    /**
     * Passes the step to the DL4J {@code TrainingListener}s attached to the wrapped network
     * ({@code model().setListeners(...)}): its score becomes {@code loss}, and each listener hears
     * {@code iterationDone} with the optimizer's step count and the epoch count. {@code ScoreIterationListener},
     * {@code PerformanceListener}, {@code CheckpointListener} or DL4J's {@code StatsListener} work as they do under
     * {@code fit()}, except for what only {@code fit()} computes: DL4J's per-variable {@code gradient()} stays unset,
     * so a {@code StatsListener} must have its gradient and update statistics off (README, "DL4J listeners").
     */
    @Override
    public void stepDone(double loss) {
        var listeners = model.listeners();
        if (listeners == null || listeners.isEmpty()) {
            return;
        }
        model.setScore(loss);
        model.matchLabelsToInput();
        int iteration = model.iterationCount() - 1;
        for (var l : listeners) {
            l.iterationDone(model.model(), iteration, model.epochCount());
        }
    }

    @Override
    public void setLearningRate(double rate) {
        rates.set(rate);
    }

    @Override
    public void scaleLearningRate(double factor) {
        rates.scale(factor);
    }

    @Override
    public void setLearningRateFactor(double factor) {
        rates.setFactor(factor);
    }

    @Override
    public long numParams() {
        return model.model().numParams();
    }

    @Override
    public INDArray params() {
        if (spectral == null) {
            return model.model().params().dup();
        }
        INDArray[] copy = new INDArray[1];
        spectral.withRawWeights(() -> copy[0] = model.model().params().dup());
        return copy[0];
    }

    /** In one pass over the live parameters (no copy of them) when they and {@code average} are float vectors. */
    @Override
    public void averageParamsInto(INDArray average, double decay) {
        INDArray params = model.model().params();
        if (spectral != null || !ParameterAverage.update(average, params, decay)) {
            Trainable.super.averageParamsInto(average, decay);
        }
    }

    @Override
    public void setParams(INDArray flat) {
        INDArray params = model.model().params();
        if (flat.length() != params.length()) {
            throw new IllegalArgumentException("expected " + params.length() + " parameters, got " + flat.length());
        }
        params.assign(flat.reshape(params.shape()));
        if (spectral != null) {
            spectral.reset();
        }
    }

    @Override
    public INDArray optimizerState() {
        INDArray state = model.updaterState();
        return state == null ? Nd4j.empty() : state.dup();
    }

    @Override
    public void setOptimizerState(INDArray state, long steps) {
        INDArray own = model.updaterState();
        long expected = own == null ? 0 : own.length();
        if (state.length() != expected) {
            throw new IllegalArgumentException("expected an optimizer state of " + expected + " values, got "
                    + state.length());
        }
        if (own != null) {
            own.assign(state.reshape(own.shape()));
        }
        model.setIterationCount(Math.toIntExact(steps));
    }

    @Override
    public long steps() {
        return model.iterationCount();
    }

    @Override
    public StepHooks stepHooks() {
        return Dl4jStepHooks.INSTANCE;
    }

    @Override
    public void save(Path file, ModelMetadata metadata) throws IOException {
        if (spectral == null) {
            ModelFileFormat.save(model, file, metadata);
            return;
        }
        IOException[] failure = new IOException[1];
        spectral.withRawWeights(() -> {
            try {
                ModelFileFormat.save(model, file, metadata.withSpectralNorm());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Parameter names and shapes: equal for networks of the same architecture. */
    private static Map<String, String> shapes(Model n) {
        Map<String, String> m = new TreeMap<>();
        n.paramTable().forEach((k, v) -> m.put(k, Arrays.toString(v.shape())));
        return m;
    }

    /** {@link ModelMetadata#GENERATOR} or {@link ModelMetadata#DISCRIMINATOR}. */
    abstract String role();

    @Override
    public void restore(Path file) throws IOException {
        Dl4jModel saved = ModelFileFormat.readModel(file, role());
        if (!shapes(saved.model()).equals(shapes(model.model()))) {
            throw new InvalidModelFileException(file, "holds a different architecture (" + saved.model().numParams()
                    + " parameters) than this " + role() + " (" + model.model().numParams() + ")");
        }
        INDArray params = model.model().params();
        params.assign(saved.model().params().reshape(params.shape()));
        INDArray state = model.updaterState();
        INDArray savedState = saved.updaterState();
        if (state != null && state.length() > 0 && !ModelFileFormat.hasOptimizerState(file)) {
            // DL4J restores such a file with a fresh, all-zero optimizer state: training would go on differently
            throw new InvalidModelFileException(file, "has no optimizer state (" + ModelSerializer.UPDATER_BIN
                    + "), so training cannot continue exactly where it stopped; it was saved for inference only "
                    + "or damaged");
        }
        if (state != null) {
            if (savedState == null || savedState.length() != state.length()) {
                throw new InvalidModelFileException(file, "has no matching optimizer state");
            }
            state.assign(savedState.reshape(state.shape()));
        }
        model.setIterationCount(saved.iterationCount());
        model.setEpochCount(saved.epochCount());
        pending = 0;
        if (spectral != null) {
            spectral.reset();
        }
    }
}
