package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.FastAdam;
import dev.jgan.dl4j.fast.FastPath;
import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of the DL4J adapters: drives a {@link MultiLayerNetwork} through DL4J's "external errors" path, so a network
 * can be trained from a gradient computed outside it (the GAN loss, or the discriminator's input gradient).
 *
 * <p>The network must end in a layer without a loss (Dense, Activation, Convolution...), not an {@code OutputLayer}:
 * DL4J cannot back-propagate an external error through an output layer.
 */
abstract class Dl4jNetwork implements dev.jgan.api.Trainable {

    private final String type;
    private final MultiLayerNetwork net;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private Backprop backprop;
    private FastAdam fastAdam;
    private SpectralNorm spectral;
    private int pending;

    Dl4jNetwork(String type, MultiLayerNetwork net) {
        this.type = Objects.requireNonNull(type, "type");
        this.net = Objects.requireNonNull(net, "net");
        int layers = net.getLayerWiseConfigurations().getConfs().size();
        if (layers == 0) {
            throw new IllegalArgumentException("network has no layers");
        }
        if (net.getLayerWiseConfigurations().getConf(layers - 1).getLayer() instanceof OutputLayer) {
            throw new IllegalArgumentException("the network ends in an OutputLayer; a GAN network must end in a layer "
                    + "without a loss (for example a DenseLayer with identity activation), so that the adversarial "
                    + "loss's gradient can be back-propagated into it");
        }
        if (net.getFlattenedGradients() == null) {
            net.init();
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
        useKernels(Dl4jOptions.defaults().kernels());
    }

    /**
     * Computes the training passes and optimizer steps from now on with {@code kernels} (both work on the same
     * parameters, gradient view and Adam state, so this may change between steps, not within one).
     */
    public final void useKernels(Dl4jOptions.Kernels kernels) {
        if (pending > 0) {
            throw new IllegalStateException("cannot change kernels with a gradient pending");
        }
        FastPath fast = new Dl4jOptions(kernels).fast() ? FastPath.of(net) : null;
        this.backprop = fast != null ? new FastBackprop(net, fast) : new Dl4jBackprop(net);
        this.fastAdam = new Dl4jOptions(kernels).fast() ? FastAdam.of(net) : null;
    }

    /** Normalises every dense and convolution weight spectrally from now on (see {@link SpectralNorm}). */
    final void enableSpectralNorm(long seed) {
        spectral = new SpectralNorm(net, seed);
    }

    /** The spectral norms of the raw weights as last estimated, or an empty array without normalisation. */
    public double[] spectralNorms() {
        return spectral == null ? new double[0] : spectral.sigmas();
    }

    /** Whether any layer runs on {@link FastPath} rather than DL4J's layer code. */
    public boolean usesFastPath() {
        return !backprop.fastLayers().isEmpty();
    }

    /** Whether {@link FastPath} computes every layer that has parameters (so no DL4J layer code runs in training). */
    boolean fastPathCoversParameters() {
        return backprop.coversParameters();
    }

    /** Whether the optimizer step runs on {@link FastAdam} rather than DL4J's updater. */
    boolean usesFastAdam() {
        return fastAdam != null;
    }

    /** The indices of the layers {@link FastPath} computes (empty without it). */
    public java.util.List<Integer> fastPathLayers() {
        return backprop.fastLayers();
    }

    /** The wrapped network (for advanced use; changing it while training is not supported). */
    public MultiLayerNetwork network() {
        return net;
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
            return fromNetwork(net.output(in, false));
        }
        return fromNetwork(backprop.forward(in));
    }

    @Override
    public void accumulate(INDArray outputGradient) {
        backprop.backward(outputToNetwork(outputGradient), pendingGradient(), InputGradient.SKIP);
        pending++;
    }

    @Override
    public INDArray backward(INDArray outputGradient) {
        INDArray in = backprop.backward(outputToNetwork(outputGradient), pendingGradient(), InputGradient.COMPUTE);
        pending++;
        return in == null ? null : inputFromNetwork(in);
    }

    /** Parameter gradients are written by the first pass after a step and added by the passes after it. */
    private ParameterGradient pendingGradient() {
        return pending > 0 ? ParameterGradient.ADD : ParameterGradient.WRITE;
    }

    @Override
    public INDArray inputGradient(INDArray outputGradient) {
        return inputFromNetwork(backprop.backward(outputToNetwork(outputGradient), ParameterGradient.SKIP,
                InputGradient.COMPUTE));
    }

    @Override
    public void step() {
        if (pending == 0) {
            throw new IllegalStateException("step() without a pending gradient: call backward() first");
        }
        int iteration = net.getIterationCount();
        // The loss gradient is already a batch mean, so the updater must not divide by the batch size again.
        if (spectral != null) {
            spectral.toRawGradient();
        }
        // Java's Adam also takes the update from the parameters, unless spectral norm must first map it to raw weights
        boolean applied = fastAdam != null && fastAdam.update(iteration, spectral == null);
        if (!applied) {
            net.getUpdater().update(net, backprop.gradient(), iteration, net.getEpochCount(), 1, workspaces);
        }
        if (spectral != null) {
            spectral.applyUpdate();
        }
        if (!applied || spectral != null) {
            INDArray params = net.params();
            params.subi(net.getGradientsViewArray().reshape(params.shape()));
        }
        if (spectral != null) {
            spectral.renormalize();
        }
        net.setIterationCount(iteration + 1);
        pending = 0;
    }

    /**
     * Passes the step to the DL4J {@code TrainingListener}s attached to the wrapped network
     * ({@code network().setListeners(...)}): its score becomes {@code loss}, and each listener hears
     * {@code iterationDone} with the optimizer's step count and the epoch count. {@code ScoreIterationListener},
     * {@code PerformanceListener}, {@code CheckpointListener} or DL4J's {@code StatsListener} work as they do under
     * {@code fit()}, except for what only {@code fit()} computes (gradient statistics of {@code onGradientCalculation}).
     */
    @Override
    public void stepDone(double loss) {
        var listeners = net.getListeners();
        if (listeners == null || listeners.isEmpty()) {
            return;
        }
        net.setScore(loss);
        int iteration = net.getIterationCount() - 1;
        for (var l : listeners) {
            l.iterationDone(net, iteration, net.getEpochCount());
        }
    }

    @Override
    public void scaleLearningRate(double factor) {
        // DL4J's setLearningRate rebuilds the updater and fails on parameter-free layers (M2.1); the updaters read
        // their rate from these config objects at every step, so scaling them in place is enough.
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (var layerConf : net.getLayerWiseConfigurations().getConfs()) {
            if (layerConf.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer layer) {
                for (var updater : java.util.Arrays.asList(layer.getIUpdater(), layer.getBiasUpdater())) {
                    if (updater instanceof org.nd4j.linalg.learning.config.Adam adam && seen.add(adam)) {
                        if (adam.getLearningRateSchedule() != null) {
                            throw new IllegalStateException("cannot scale a learning-rate schedule");
                        }
                        adam.setLearningRate(adam.getLearningRate() * factor);
                    }
                }
            }
        }
    }

    @Override
    public long numParams() {
        return net.numParams();
    }

    @Override
    public INDArray params() {
        if (spectral == null) {
            return net.params().dup();
        }
        INDArray[] copy = new INDArray[1];
        spectral.withRawWeights(() -> copy[0] = net.params().dup());
        return copy[0];
    }

    @Override
    public void setParams(INDArray flat) {
        INDArray params = net.params();
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
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        return state == null ? Nd4j.empty() : state.dup();
    }

    @Override
    public void setOptimizerState(INDArray state, long steps) {
        INDArray own = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        long expected = own == null ? 0 : own.length();
        if (state.length() != expected) {
            throw new IllegalArgumentException("expected an optimizer state of " + expected + " values, got "
                    + state.length());
        }
        if (own != null) {
            own.assign(state.reshape(own.shape()));
        }
        net.setIterationCount(Math.toIntExact(steps));
    }

    @Override
    public long steps() {
        return net.getIterationCount();
    }

    @Override
    public dev.jgan.api.StepHooks stepHooks() {
        return Dl4jStepHooks.INSTANCE;
    }

    @Override
    public void save(Path file, ModelMetadata metadata) throws IOException {
        if (spectral == null) {
            ModelFileFormat.save(net, file, metadata);
            return;
        }
        IOException[] failure = new IOException[1];
        spectral.withRawWeights(() -> {
            try {
                ModelFileFormat.save(net, file, metadata.withSpectralNorm());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Parameter names and shapes: equal for networks of the same architecture. */
    private static java.util.Map<String, String> shapes(MultiLayerNetwork n) {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        n.paramTable().forEach((k, v) -> m.put(k, java.util.Arrays.toString(v.shape())));
        return m;
    }

    /** {@link ModelMetadata#GENERATOR} or {@link ModelMetadata#DISCRIMINATOR}. */
    abstract String role();

    @Override
    public void restore(Path file) throws IOException {
        MultiLayerNetwork saved = ModelFileFormat.readNetwork(file, role());
        if (!shapes(saved).equals(shapes(net))) {
            throw new InvalidModelFileException(file, "holds a different architecture (" + saved.numParams()
                    + " parameters) than this " + role() + " (" + net.numParams() + ")");
        }
        net.params().assign(saved.params().reshape(net.params().shape()));
        INDArray state = net.getUpdater().getStateViewArray();
        INDArray savedState = saved.getUpdater() == null ? null : saved.getUpdater().getStateViewArray();
        if (state != null) {
            if (savedState == null || savedState.length() != state.length()) {
                throw new InvalidModelFileException(file, "has no matching optimizer state");
            }
            state.assign(savedState.reshape(state.shape()));
        }
        net.setIterationCount(saved.getIterationCount());
        net.setEpochCount(saved.getEpochCount());
        pending = 0;
        if (spectral != null) {
            spectral.reset();
        }
    }

    /** Whether a network takes images as {@code [n, C·H·W]} rows (dense first layer) rather than NCHW. */
    static boolean expectsFlatInput(MultiLayerNetwork net) {
        var conf = net.getLayerWiseConfigurations();
        return conf.getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor
                || conf.getConf(0).getLayer() instanceof DenseLayer;
    }
}
