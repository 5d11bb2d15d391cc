package dev.jgan.dl4j.fast;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import java.lang.ref.Reference;

/** Copies between contiguous float arrays of ND4J and Java arrays, in storage order. */
final class FloatArrays {

    private FloatArrays() {}

    /**
     * A direct buffer over a contiguous array's values, in its storage order. The buffer does not keep the array's
     * memory alive: keep a reference to the array while the buffer is used ({@link #get}, {@link #put} do).
     */
    static FloatBuffer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer()).capacity(a.length()).asBuffer();
    }

    /** Copies a contiguous array's values, in storage order, into {@code values}. */
    static void get(INDArray a, float[] values) {
        floats(a).get(values);
        Reference.reachabilityFence(a);
    }

    /** Copies {@code values} over a contiguous array's values, in storage order. */
    static void put(INDArray a, float[] values) {
        floats(a).put(values);
        Reference.reachabilityFence(a);
    }

    static boolean contiguous(INDArray a, char order) {
        return a.dataType() == DataType.FLOAT && a.ordering() == order && Shape.hasDefaultStridesForShape(a)
                && a.elementWiseStride() == 1;
    }

    static float[] read(INDArray a) {
        float[] v = new float[(int) a.length()];
        get(a, v);
        return v;
    }

    /** Writes {@code values} over a contiguous array, or adds them to it. */
    static void write(INDArray view, float[] values, boolean accumulate) {
        FloatBuffer buf = floats(view);
        if (accumulate) {
            for (int i = 0; i < values.length; i++) {
                buf.put(i, buf.get(i) + values[i]);
            }
        } else {
            buf.put(values);
        }
        Reference.reachabilityFence(view);
    }
}
