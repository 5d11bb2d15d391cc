package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training passes of a {@link ComputationGraph} on DL4J's own code, with an external error at its output.
 *
 * <p>{@code ComputationGraph.backpropGradient} returns the parameter gradients only and then clears every vertex,
 * the input vertex's epsilon (dL/d(input)) with them. So the backward pass calls the protected
 * {@code calcBackpropGradients} it wraps, with clearing off, and reads the epsilon from the input vertex: DL4J
 * 1.0.0-M2.1 has no public way to the input gradient of a graph.
 */
final class GraphBackprop implements Backprop {

    private static final MethodHandle CALC_BACKPROP;

    static {
        try {
            var method = ComputationGraph.class.getDeclaredMethod("calcBackpropGradients", boolean.class,
                    boolean.class, INDArray[].class);
            method.setAccessible(true);
            CALC_BACKPROP = MethodHandles.lookup().unreflect(method).asType(MethodType.methodType(void.class,
                    ComputationGraph.class, boolean.class, boolean.class, INDArray[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("this DL4J version's ComputationGraph has no "
                    + "calcBackpropGradients(boolean, boolean, INDArray...): " + e);
        }
    }

    private final ComputationGraph graph;
    private final GraphVertex inputVertex;
    private final GradientView view;
    private Gradient gradient;

    GraphBackprop(ComputationGraph graph) {
        this.graph = graph;
        this.inputVertex = graph.getVertex(graph.getConfiguration().getNetworkInputs().get(0));
        this.view = new GradientView(graph);
    }

    @Override
    public INDArray forward(INDArray input) {
        return graph.output(true, false, input)[0];
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient input) {
        // like DL4J's own MultiLayerNetwork pass, this computes both and writes the whole gradient view
        INDArray in = view.around(params, () -> {
            try {
                CALC_BACKPROP.invokeExact(graph, false, false, new INDArray[] {eps});
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            INDArray epsilon = inputVertex.getEpsilon();
            inputVertex.setEpsilon(null);
            return epsilon;
        });
        if (params != ParameterGradient.SKIP) {
            gradient = graph.gradient();
        }
        return in;
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public List<Integer> fastLayers() {
        return List.of();
    }

    @Override
    public boolean coversParameters() {
        return false;
    }
}
