package dev.jgan.inference.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An ONNX graph under construction, written as an ONNX {@code ModelProto} (onnx/onnx.proto, IR version
 * {@value #IR_VERSION}, default-domain opset {@value #OPSET}). Field numbers are those of the ONNX spec.
 */
final class OnnxGraph {

    static final int IR_VERSION = 8;
    static final int OPSET = 13;

    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int INT64 = 7;
    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private int names;

    /** A fresh tensor name with this prefix. */
    String name(String prefix) {
        return prefix + "_" + names++;
    }

    /** A graph input or output: float, first dimension the symbolic batch size {@code N}. */
    private static Proto valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        shape.message(1, new Proto().string(2, "N"));
        for (long d : dims) {
            shape.message(1, new Proto().int64(1, d));
        }
        Proto tensor = new Proto().int32(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    void input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
    }

    void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    /** A float constant (weights), stored as raw little-endian bytes. */
    String floats(String prefix, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return tensor(prefix, FLOAT, b.array(), dims);
    }

    /** An int64 constant (shapes). */
    String int64s(String prefix, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return tensor(prefix, INT64, b.array(), values.length);
    }

    private String tensor(String prefix, int type, byte[] raw, long... dims) {
        String name = name(prefix);
        Proto t = new Proto();
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int32(2, type).string(8, name).bytes(9, raw);
        initializers.add(t);
        return name;
    }

    /** Adds a node; returns its (single) output name. Attribute values: Integer/Long, Float, String, long[]. */
    String node(String op, List<String> in, Map<String, Object> attributes) {
        String out = name(op.toLowerCase(Locale.ROOT));
        Proto n = new Proto();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out).string(3, out).string(4, op);
        attributes.forEach((k, v) -> n.message(5, attribute(k, v)));
        nodes.add(n);
        return out;
    }

    String node(String op, String... in) {
        return node(op, List.of(in), Map.of());
    }

    /** Copies {@code from} into a tensor named {@code to} (the graph output's name). */
    void identity(String from, String to) {
        nodes.add(new Proto().string(1, from).string(2, to).string(3, to).string(4, "Identity"));
    }

    private static Proto attribute(String name, Object v) {
        Proto a = new Proto().string(1, name);
        if (v instanceof Float f) {
            a.float32(2, f).int32(20, ATTR_FLOAT);
        } else if (v instanceof Number i) {
            a.int64(3, i.longValue()).int32(20, ATTR_INT);
        } else if (v instanceof String s) {
            a.bytes(4, s.getBytes(StandardCharsets.UTF_8)).int32(20, ATTR_STRING);
        } else if (v instanceof long[] ints) {
            for (long i : ints) {
                a.int64(8, i);
            }
            a.int32(20, ATTR_INTS);
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + v);
        }
        return a;
    }

    /** The whole model file. */
    byte[] model(String graphName, Map<String, String> metadata) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, graphName);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(i -> g.message(11, i));
        outputs.forEach(o -> g.message(12, o));
        Proto m = new Proto().int64(1, IR_VERSION).string(2, "jgan").string(3, Version.LIBRARY)
                .message(7, g).message(8, new Proto().string(1, "").int64(2, OPSET));
        new LinkedHashMap<>(metadata).forEach((k, v) -> m.message(14, new Proto().string(1, k).string(2, v)));
        return m.toByteArray();
    }

    /** The producer version written into the file. */
    static final class Version {
        static final String LIBRARY = Objects.requireNonNullElse(
                OnnxGraph.class.getPackage().getImplementationVersion(), "dev");

        private Version() {}
    }
}
