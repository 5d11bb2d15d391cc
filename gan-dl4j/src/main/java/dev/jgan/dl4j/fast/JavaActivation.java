package dev.jgan.dl4j.fast;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.shape.Shape;

/**
 * A convolution's activation done in Java over its pre-activation: ReLU-like ones in one pass each way, tanh and
 * sigmoid with ND4J's kernel forward and their derivative from the output backward. Replaces two ND4J operations
 * each way (a copy and the activation or its derivative).
 */
final class JavaActivation {
    private final Float slope;
    private final boolean tanh;
    private float[] pre;
    private float[] work;

    private JavaActivation(Float slope, boolean tanh) {
        this.slope = slope;
        this.tanh = tanh;
    }

    /** For {@code activation}, or null when it is the identity or one this class does not compute. */
    static JavaActivation of(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return null;
        }
        Float slope = Leaky.slopeOf(activation);
        if (slope != null) {
            return new JavaActivation(slope, false);
        }
        if (activation instanceof ActivationTanH || activation instanceof ActivationSigmoid) {
            return new JavaActivation(null, activation instanceof ActivationTanH);
        }
        return null;
    }

    private static INDArray contiguous(INDArray x, char order) {
        return x.dataType() == DataType.FLOAT && x.ordering() == order && x.elementWiseStride() == 1
                && Shape.hasDefaultStridesForShape(x) ? x : x.castTo(DataType.FLOAT)
                .dup(order);
    }

    /** Writes act(z) into {@code a} (same shape and layout as z) and returns it. */
    INDArray forward(INDArray z, INDArray a) {
        if (slope == null) {
            Nd4j.exec(tanh ? new Tanh(z, a)
                    : new Sigmoid(z, a));
            return a;
        }
        if (pre == null || pre.length != z.length()) {
            pre = new float[(int) z.length()];
            work = new float[pre.length];
        }
        FloatArrays.get(z, pre);
        float s = slope;
        Split.run(pre.length, 2L * pre.length, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                float v = pre[k];
                work[k] = Leaky.apply(v, s);
            }
        });
        FloatArrays.put(a, work);
        return a;
    }

    /** Writes dL/dz into {@code dz} from dL/da {@code eps} and the last forward pass's output {@code a}. */
    INDArray backward(INDArray eps, INDArray a, INDArray dz) {
        if (pre == null || pre.length != a.length()) {
            pre = new float[(int) a.length()];
            work = new float[pre.length];
        }
        FloatArrays.get(contiguous(eps, dz.ordering()).reshape(dz.ordering(), dz.shape()), work);
        if (slope == null) {
            FloatArrays.get(a, pre);
        }
        Float s = slope;
        Split.run(pre.length, 2L * pre.length, (lo, hi) -> {
            if (s != null) {
                float sl = s;
                for (int k = lo; k < hi; k++) {
                    work[k] *= Leaky.derivative(pre[k], sl);
                }
            } else if (tanh) {
                for (int k = lo; k < hi; k++) {
                    float y = pre[k];
                    work[k] *= 1 - y * y;
                }
            } else {
                for (int k = lo; k < hi; k++) {
                    float y = pre[k];
                    work[k] *= y * (1 - y);
                }
            }
        });
        FloatArrays.put(dz, work);
        return dz;
    }

    /** act(z), through {@code java} when it is there (else ND4J's, into {@code a}); z itself for the identity. */
    static INDArray activate(IActivation activation, JavaActivation java, INDArray z, INDArray a) {
        if (java != null) {
            return java.forward(z, a);
        }
        if (activation instanceof ActivationIdentity) {
            return z;
        }
        a.assign(z);
        return activation.getActivation(a, true);
    }

    /** dL/dz from dL/da {@code eps}, after {@link #activate} of the same z and a; eps itself for the identity. */
    static INDArray deactivate(IActivation activation, JavaActivation java, INDArray eps, INDArray z,
                                       INDArray a, INDArray dz) {
        if (java != null) {
            return java.backward(eps, a, dz);
        }
        if (activation instanceof ActivationIdentity) {
            return eps;
        }
        dz.assign(z);
        // IActivation.backprop writes dL/dz over its first argument.
        return activation.backprop(dz, eps).getFirst();
    }
}
