package dev.jgan.inference.onnx;

import dev.jgan.api.ModelMetadata;
import dev.jgan.inference.onnx.LayerOps.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import dev.jgan.inference.GeneratorModel;

/**
 * Exports a saved generator to an ONNX file (opset {@value OnnxGraph#OPSET}) that runs without the JVM, e.g. in
 * ONNX Runtime. Every built-in generator type (dense, dcgan, resnet) is supported, and any DL4J network made of the
 * same layers.
 *
 * <p>The graph has one input, {@code z}: float {@code [N, latent_size + num_classes]}, the noise followed, for a
 * conditional generator, by a one-hot class label (as {@link dev.jgan.api.Generator#generate} takes it), and one
 * output, {@code images}: float {@code [N, C, H, W]} in [-1, 1]. {@code N} is dynamic. The file's metadata
 * properties give {@code latent_size}, {@code num_classes}, {@code channels}, {@code height}, {@code width}.
 */
public final class OnnxExport {

    /** Name of the graph input. */
    public static final String INPUT = "z";
    /** Name of the graph output. */
    public static final String OUTPUT = "images";

    private OnnxExport() {}

    /**
     * Writes the ONNX form of generator file {@code model} to {@code out} (atomically); the same as
     * {@code GeneratorModel.load(model).exportOnnx(out)}.
     */
    public static void export(Path model, Path out) throws IOException {
        GeneratorModel.load(model).exportOnnx(out);
    }

    /** The ONNX model of generator network {@code net} described by {@code md}. */
    public static byte[] toOnnx(Model net, ModelMetadata md) {
        var image = md.image();
        int inputs = md.latentSize() + md.classes();
        OnnxGraph graph = new OnnxGraph();
        graph.input(INPUT, inputs);
        LayerOps ops = new LayerOps(graph);
        Tensor out;
        if (net instanceof MultiLayerNetwork m) {
            out = stack(m, new Tensor(INPUT, 2), ops);
        } else if (net instanceof ComputationGraph g) {
            out = graph(g, ops);
        } else {
            throw new UnsupportedOperationException("cannot export a " + net.getClass().getSimpleName());
        }
        String images = out.rank() == 4 ? out.name() : graph.node("Reshape", out.name(),
                graph.int64s("shape", -1, image.channels(), image.height(), image.width()));
        graph.identity(images, OUTPUT);
        graph.output(OUTPUT, image.channels(), image.height(), image.width());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("latent_size", Integer.toString(md.latentSize()));
        props.put("num_classes", Integer.toString(md.classes()));
        props.put("channels", Integer.toString(image.channels()));
        props.put("height", Integer.toString(image.height()));
        props.put("width", Integer.toString(image.width()));
        props.put("type", md.type());
        props.put("input", INPUT + ": [N, " + inputs + "] float, N(0,1) noise"
                + (md.classes() > 0 ? " then a one-hot class of " + md.classes() : ""));
        props.put("output", OUTPUT + ": [N, C, H, W] float in [-1, 1]");
        return graph.model("jgan-" + md.type() + "-generator", props);
    }

    private static Tensor stack(MultiLayerNetwork net, Tensor x, LayerOps ops) {
        var conf = net.getLayerWiseConfigurations();
        for (int i = 0; i < net.getnLayers(); i++) {
            String where = "layer " + i;
            x = ops.preprocessor(conf.getInputPreProcess(i), x, where);
            x = ops.layer(net.getLayer(i), x, where);
        }
        return x;
    }

    private static Tensor graph(ComputationGraph net, LayerOps ops) {
        var conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedOperationException("cannot export a graph with " + conf.getNetworkInputs().size()
                    + " inputs and " + conf.getNetworkOutputs().size() + " outputs (expected 1 and 1)");
        }
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put(conf.getNetworkInputs().get(0), new Tensor(INPUT, 2));
        for (String name : conf.getTopologicalOrderStr()) {
            if (tensors.containsKey(name)) {
                continue;
            }
            List<Tensor> in = conf.getVertexInputs().get(name).stream().map(tensors::get).toList();
            var vertex = conf.getVertices().get(name);
            String where = "vertex " + name;
            Tensor out;
            if (vertex instanceof LayerVertex lv) {
                Tensor x = ops.preprocessor(lv.getPreProcessor(), in.get(0), where);
                out = ops.layer(net.getLayer(name), x, where);
            } else if (vertex instanceof PreprocessorVertex pv) {
                out = ops.preprocessor(pv.getPreProcessor(), in.get(0), where);
            } else if (vertex instanceof ElementWiseVertex ew && ew.getOp() == ElementWiseVertex.Op.Add) {
                String sum = in.get(0).name();
                for (int i = 1; i < in.size(); i++) {
                    sum = ops.add(sum, in.get(i).name());
                }
                out = new Tensor(sum, in.get(0).rank());
            } else {
                throw LayerOps.unsupported(where, vertex.getClass().getSimpleName());
            }
            tensors.put(name, out);
        }
        return tensors.get(conf.getNetworkOutputs().get(0));
    }
}
