package dev.jgan.dl4j;

import dev.jgan.api.InvalidConfigException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network's parameter count, computed from its configuration before anything is allocated, and the bound every
 * network is held to: a config that asks for billions of weights is refused at once instead of allocating
 * gigabytes (or hanging in native code, where Ctrl-C cannot reach).
 */
public final class NetworkSize {

    /**
     * At most this many parameters per network: 400 MB of float weights, about 1.6 GB with their gradients and
     * Adam's two moments. The largest shipped network has under 2 million.
     */
    public static final long MAX_PARAMETERS = 100_000_000L;

    private NetworkSize() {}

    /** Number of parameters of a {@link MultiLayerNetwork} built from {@code conf}, without building it. */
    public static long parameters(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
    }

    /** Number of parameters of a {@link ComputationGraph} built from {@code conf}, without building it. */
    public static long parameters(ComputationGraphConfiguration conf) {
        long n = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            n += v.numParams(true);
        }
        return n;
    }

    /**
     * Builds and initialises the network after checking its size.
     *
     * @param field the config field that sets the size, named in the error
     * @throws InvalidConfigException when the network would have more than {@link #MAX_PARAMETERS} parameters
     */
    public static MultiLayerNetwork init(MultiLayerConfiguration conf, String field) {
        require(parameters(conf), field);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** As {@link #init(MultiLayerConfiguration, String)}, for a graph. */
    public static ComputationGraph init(ComputationGraphConfiguration conf, String field) {
        require(parameters(conf), field);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Throws when {@code parameters} exceeds {@link #MAX_PARAMETERS}. */
    static void require(long parameters, String field) {
        if (parameters > MAX_PARAMETERS || parameters < 0) {
            throw new InvalidConfigException(field, "a network of at most " + MAX_PARAMETERS + " parameters",
                    parameters + " parameters");
        }
    }
}
