package dev.jgan.trainer.data;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Balanced k-means of images in pixel space: k-means++ seeding, then Lloyd iterations whose assignment gives every
 * cluster at most ⌈n/k⌉ points (each point, taken in order of its distance to a centre, goes to the nearest centre
 * with room). Equal cluster sizes make the clusters a uniform prior, so a GAN conditioned on them samples a cluster
 * uniformly at generation time as it did in training (self-conditioned GANs, Liu et al., CVPR 2020, condition on
 * clusters of the data without labels).
 *
 * <p>Written here, on ND4J's matrix product for the distances (one {@code n×d·d×k} GEMM per iteration), because
 * neither ND4J nor DL4J 1.0.0-M2.1 ships k-means (DL4J's clustering module was dropped in 1.0.0-M1).
 */
public final class BalancedKMeans {

    private BalancedKMeans() {}

    /**
     * The cluster of each row of {@code points} ({@code [n, d]}).
     *
     * @param k number of clusters, at most n
     * @param seed seeds the k-means++ choice of the first centres
     * @param iterations Lloyd iterations after seeding
     */
    public static int[] cluster(INDArray points, int k, long seed, int iterations) {
        INDArray x = points.castTo(DataType.FLOAT);
        int n = (int) x.rows();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("cannot make " + k + " clusters of " + n + " points");
        }
        INDArray squaredNorms = x.mul(x).sum(1).reshape(n, 1);
        INDArray centres = seed(x, squaredNorms, k, new Random(seed));
        int[] assignment = null;
        for (int it = 0; it < iterations; it++) {
            int[] next = assign(distances(x, squaredNorms, centres), k);
            if (assignment != null && Arrays.equals(assignment, next)) {
                break;
            }
            assignment = next;
            centres = centres(x, assignment, k);
        }
        return assignment != null ? assignment : assign(distances(x, squaredNorms, centres), k);
    }

    /** Squared distances {@code [n, k]}: ‖x‖² − 2 x·c + ‖c‖². */
    static INDArray distances(INDArray x, INDArray squaredNorms, INDArray centres) {
        INDArray c2 = centres.mul(centres).sum(1).reshape(1, centres.rows());
        return x.mmul(centres.transpose()).muli(-2).addiColumnVector(squaredNorms).addiRowVector(c2);
    }

    /** k-means++: each next centre drawn with probability proportional to the squared distance to the nearest. */
    private static INDArray seed(INDArray x, INDArray squaredNorms, int k, Random rng) {
        int n = (int) x.rows();
        int[] chosen = new int[k];
        chosen[0] = rng.nextInt(n);
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            float[] d = distances(x, squaredNorms, x.getRow(chosen[c - 1], true)).dup('c').data().asFloat();
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], Math.max(0, d[i]));
                total += nearest[i];
            }
            double r = rng.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                r -= nearest[i];
                if (r <= 0) {
                    pick = i;
                    break;
                }
            }
            chosen[c] = pick;
        }
        return Nd4j.pullRows(x, 1, chosen);
    }

    /** Each point to its nearest centre with room, points taken in order of that distance. */
    static int[] assign(INDArray distances, int k) {
        int n = (int) distances.rows();
        float[] d = distances.dup('c').data().asFloat();
        int capacity = (n + k - 1) / k;
        long[] pairs = new long[n * k];
        for (int i = 0; i < n * k; i++) {
            // sort key: the distance's bits (non-negative floats sort as their bits), then the pair index
            pairs[i] = ((long) Float.floatToIntBits(Math.max(0f, d[i])) << 32) | i;
        }
        Arrays.sort(pairs);
        int[] out = new int[n];
        Arrays.fill(out, -1);
        int[] size = new int[k];
        int placed = 0;
        for (int p = 0; p < pairs.length && placed < n; p++) {
            int pair = (int) pairs[p];
            int point = pair / k;
            int cluster = pair % k;
            if (out[point] < 0 && size[cluster] < capacity) {
                out[point] = cluster;
                size[cluster]++;
                placed++;
            }
        }
        return out;
    }

    /** The mean of each cluster's points. */
    private static INDArray centres(INDArray x, int[] assignment, int k) {
        float[] indicator = new float[assignment.length * k];
        int[] size = new int[k];
        for (int i = 0; i < assignment.length; i++) {
            indicator[i * k + assignment[i]] = 1f;
            size[assignment[i]]++;
        }
        INDArray oneHot = Nd4j.create(indicator, new long[] {assignment.length, k}, 'c');
        INDArray sums = oneHot.transpose().mmul(x);
        for (int c = 0; c < k; c++) {
            sums.getRow(c).divi(Math.max(1, size[c]));
        }
        return sums;
    }
}
