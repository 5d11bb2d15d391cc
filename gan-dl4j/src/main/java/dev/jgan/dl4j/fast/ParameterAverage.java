package dev.jgan.dl4j.fast;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exponential moving average of a network's parameters in one pass: {@code average ← d·average + (1 − d)·θ}
 * over float vectors, each product rounded to float before the sum, as ND4J's {@code muli}, {@code muli} and
 * {@code addi} round them (so the result is the same, bit for bit). Why: the generic update copies θ (6 MB for the
 * dense generator) and runs three passes over the vectors; on the dense network the copy and the passes took about
 * a tenth of each training step.
 */
public final class ParameterAverage {

    private ParameterAverage() {}

    /**
     * Updates {@code average} from {@code params} with {@code decay} ({@code decay} 0: an exact copy); false, with
     * nothing changed, unless both are contiguous float vectors of the same length.
     */
    public static boolean update(INDArray average, INDArray params, double decay) {
        if (!FloatArrays.contiguous(average, average.ordering()) || !FloatArrays.contiguous(params, params.ordering())
                || average.ordering() != params.ordering() || average.length() != params.length()
                || average.length() > Integer.MAX_VALUE) {
            return false;
        }
        if (decay == 0) {
            average.assign(params);
            return true;
        }
        FloatBuffer avg = FloatArrays.floats(average);
        FloatBuffer theta = FloatArrays.floats(params);
        float keep = (float) decay;
        float take = (float) (1 - decay);
        int n = (int) average.length();
        Split.run(n, 3L * n, (lo, hi) -> blend(avg, theta, keep, take, lo, hi));
        Reference.reachabilityFence(average);
        Reference.reachabilityFence(params);
        return true;
    }

    /** Elements {@code [lo, hi)}, copied through small arrays so that the arithmetic vectorises. */
    private static void blend(FloatBuffer avg, FloatBuffer theta, float keep, float take, int lo, int hi) {
        int chunk = Math.min(4096, hi - lo);
        float[] a = new float[chunk];
        float[] t = new float[chunk];
        for (int off = lo; off < hi; off += chunk) {
            int len = Math.min(chunk, hi - off);
            avg.get(off, a, 0, len);
            theta.get(off, t, 0, len);
            for (int i = 0; i < len; i++) {
                a[i] = a[i] * keep + t[i] * take;
            }
            avg.put(off, a, 0, len);
        }
    }
}
