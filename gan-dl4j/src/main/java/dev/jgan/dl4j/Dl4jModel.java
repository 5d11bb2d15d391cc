package dev.jgan.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the wrappers need of a DL4J network, the same for a {@link MultiLayerNetwork} ({@link StackModel}) and a
 * {@link ComputationGraph} with one input and one output ({@link GraphModel}): DL4J gives the two no common type
 * for iteration counts, updaters, configurations or external-error backprop.
 */
sealed interface Dl4jModel permits StackModel, GraphModel {

    /** Wraps {@code net}, which must be a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    static Dl4jModel of(Model net) {
        if (net instanceof MultiLayerNetwork mln) {
            return new StackModel(mln);
        }
        if (net instanceof ComputationGraph graph) {
            return new GraphModel(graph);
        }
        throw new IllegalArgumentException("a GAN network must be a MultiLayerNetwork or a ComputationGraph, not "
                + (net == null ? "null" : net.getClass().getName()));
    }

    /** The wrapped network. */
    Model model();

    /**
     * Whether the network takes images as {@code [n, C·H·W]} rows (a dense first layer, or a
     * {@code FeedForwardToCnnPreProcessor} before it) rather than NCHW.
     */
    boolean expectsFlatInput();

    /** Throws if the network ends in a layer with a loss, through which no external error can be propagated. */
    void requireLossFreeOutput();

    /** Its layers (in a graph: in topological order). */
    Layer[] layers();

    /** Inference-mode output for input in the network's layout. */
    INDArray output(INDArray input);

    /** Training passes on DL4J's own layer code. */
    Backprop dl4jBackprop();

    /** The updater's state view, or null without state. */
    INDArray updaterState();

    /** Turns {@code gradient} (a view of the gradient array) into the update, in place, with DL4J's updater. */
    void applyUpdater(Gradient gradient, int iteration, int epoch);

    int iterationCount();

    void setIterationCount(int iterations);

    int epochCount();

    void setEpochCount(int epochs);

    Collection<TrainingListener> listeners();

    void setScore(double score);

    /**
     * Gives a {@link MultiLayerNetwork} placeholder labels with as many rows as its latest input, since its
     * {@code batchSize()}, which DL4J listeners read, counts the labels' rows; a GAN network has no labels of its own.
     */
    void matchLabelsToInput();

    /** The network's configuration as DL4J writes it into a model file. */
    String configurationJson();
}
