package dev.jgan.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import java.util.Locale;
import org.nd4j.linalg.eigen.Eigen;

/**
 * Scores generated images against reference images (the 10,000 MNIST test images) in the feature space of
 * {@link MnistClassifier}. With f the 500 penultimate features and p(y|x) the class probabilities:
 *
 * <ul>
 *   <li><b>Fréchet distance</b> (FID analogue, Heusel et al. 2017): ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g −
 *       2 (Σ_r Σ_g)^{1/2}) of Gaussians fitted to the features. Tr((Σ_r Σ_g)^{1/2}) is computed as Σ √λ over the
 *       eigenvalues of the symmetric Σ_r^{1/2} Σ_g Σ_r^{1/2}, in double precision with commons-math's symmetric
 *       eigen-decomposition.</li>
 *   <li><b>Kernel distance</b> (KID analogue, Bińkowski et al. 2018): the unbiased MMD² with the cubic polynomial
 *       kernel k(x, y) = (xᵀy / d + 1)³, averaged over random subsets (and its standard deviation).</li>
 *   <li><b>Classifier score</b> (Inception Score analogue, Salimans et al. 2016): exp(E_x[KL(p(y|x) ‖ p(y))]), from
 *       1 (no information) to 10 (every class, each confidently).</li>
 *   <li><b>Class histogram</b> of argmax predictions, <b>modes covered</b> (classes holding at least a tenth of
 *       their fair share, n/100) and <b>KL from uniform</b>: Σ_c q_c log(10 q_c).</li>
 *   <li><b>Confident share</b>: fraction of samples with max_y p(y|x) ≥ 0.9.</li>
 *   <li><b>Precision and recall</b> (Kynkäänniemi et al. 2019, k = 3): the share of generated samples inside the
 *       union of balls around reference features whose radius is the distance to the 3rd nearest reference
 *       neighbour, and vice versa.</li>
 * </ul>
 */
public final class SampleMetrics {

    /** Neighbours for precision/recall manifolds. */
    public static final int K = 3;

    /**
     * The scores of one set of samples.
     *
     * @param samples images scored
     * @param frechetDistance FID analogue (lower is better; 0 for identical distributions)
     * @param kernelDistance KID analogue (lower is better; ≈ 0 for identical distributions)
     * @param kernelDistanceStd its standard deviation over subsets
     * @param classifierScore IS analogue (higher is better, at most 10)
     * @param classCounts samples predicted as each digit
     * @param modesCovered digits holding at least n/100 samples
     * @param klFromUniform KL divergence of the class histogram from uniform (0 is balanced)
     * @param confidentShare share of samples classified with probability ≥ 0.9
     * @param precision share of samples on the reference manifold (quality)
     * @param recall share of the reference on the samples' manifold (coverage)
     */
    public record Result(
            @JsonProperty("samples") int samples,
            @JsonProperty("frechet_distance") double frechetDistance,
            @JsonProperty("kernel_distance") double kernelDistance,
            @JsonProperty("kernel_distance_std") double kernelDistanceStd,
            @JsonProperty("classifier_score") double classifierScore,
            @JsonProperty("class_counts") long[] classCounts,
            @JsonProperty("modes_covered") int modesCovered,
            @JsonProperty("kl_from_uniform") double klFromUniform,
            @JsonProperty("confident_share") double confidentShare,
            @JsonProperty("precision") double precision,
            @JsonProperty("recall") double recall) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && r.toString().equals(toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Result[n=%d, FD=%.3f, KD=%.5f±%.5f, CS=%.3f, classes=%s, "
                            + "modes=%d, KL=%.4f, confident=%.3f, precision=%.3f, recall=%.3f]", samples,
                    frechetDistance, kernelDistance, kernelDistanceStd, classifierScore, Arrays.toString(classCounts),
                    modesCovered, klFromUniform, confidentShare, precision, recall);
        }
    }

    private final MnistClassifier classifier;
    /** The reference features in single precision, for the kernel and nearest-neighbour products. */
    private final INDArray refFeatures32;
    private final INDArray refMean;
    private final INDArray refSqrtCov;
    private final double refCovTrace;
    private final int subsetSize;
    private final int subsets;
    private final int manifoldSize;

    /** Metrics against {@code reference} images ([n, 784] or NCHW in [-1, 1]). */
    public SampleMetrics(MnistClassifier classifier, INDArray reference) {
        this(classifier, reference, 1000, 10, 5000);
    }

    /**
     * @param subsetSize KID subset size
     * @param subsets KID subsets
     * @param manifoldSize samples used per side for precision/recall (distances are O(n²))
     */
    public SampleMetrics(MnistClassifier classifier, INDArray reference, int subsetSize, int subsets,
                         int manifoldSize) {
        this.classifier = classifier;
        INDArray[] fp = featuresAndProbabilities(classifier, reference);
        INDArray refFeatures = fp[0];
        fp[1].close();
        this.refFeatures32 = refFeatures.castTo(DataType.FLOAT);
        this.refMean = refFeatures.mean(0);
        RealMatrix cov = covariance(refFeatures, refMean);
        refFeatures.close();
        this.refSqrtCov = Nd4j.create(sqrtPsd(cov).getData());
        this.refCovTrace = cov.getTrace();
        this.subsetSize = subsetSize;
        this.subsets = subsets;
        this.manifoldSize = manifoldSize;
    }

    /**
     * The fewest images scored: the Fréchet distance needs a covariance of the features and precision/recall
     * k-nearest-neighbour balls, neither meaningful on a handful (one image gave recall 1.000 and FD NaN).
     */
    public static final int MIN_SAMPLES = 100;

    /** Scores {@code images} ([n, 784] or NCHW in [-1, 1]); at least {@link #MIN_SAMPLES} of them. */
    public Result evaluate(INDArray images) {
        int n = (int) images.size(0);
        if (n < MIN_SAMPLES || images.length() != (long) n * 784) {
            throw new IllegalArgumentException("expected at least " + MIN_SAMPLES + " images of 28x28x1, got "
                    + Arrays.toString(images.shape()));
        }
        INDArray[] fp = featuresAndProbabilities(classifier, images);
        INDArray f = fp[0];
        INDArray p = fp[1];
        double fd = frechet(f);
        reclaim();
        INDArray f32 = f.castTo(DataType.FLOAT);
        double[] kid = kernelDistance(refFeatures32, f32);
        reclaim();
        long[] counts = new long[10];
        double confident = 0;
        double[][] probs = p.toDoubleMatrix();
        double[] marginal = new double[10];
        for (double[] row : probs) {
            int arg = 0;
            for (int c = 0; c < 10; c++) {
                marginal[c] += row[c] / n;
                if (row[c] > row[arg]) {
                    arg = c;
                }
            }
            counts[arg]++;
            if (row[arg] >= 0.9) {
                confident++;
            }
        }
        double kl = 0;
        for (double[] row : probs) {
            for (int c = 0; c < 10; c++) {
                if (row[c] > 0) {
                    kl += row[c] * (Math.log(row[c]) - Math.log(Math.max(marginal[c], 1e-30)));
                }
            }
        }
        int modes = 0;
        double klUniform = 0;
        for (long count : counts) {
            if (count * 100L >= n) {
                modes++;
            }
            double q = (double) count / n;
            if (q > 0) {
                klUniform += q * Math.log(10 * q);
            }
        }
        double[] pr = precisionRecall(refFeatures32, f32);
        reclaim();
        return new Result(n, fd, kid[0], kid[1], Math.exp(kl / n), counts, modes, klUniform, confident / n, pr[0],
                pr[1]);
    }

    /**
     * Frees the native buffers of the arrays the last phase left behind: ND4J frees them when their Java objects
     * are collected, and they are too small on the heap for the collector to run by itself (scoring 2,000 samples
     * reached 1.2 GB without this).
     */
    private static void reclaim() {
        System.gc();
    }

    /** Images per pass of the feature network: the fast path keeps buffers per batch size, so memory scales with it. */
    private static final int BATCH = 200;

    /** Features and probabilities of {@code images} in batches of {@link #BATCH} (bounded memory), as doubles. */
    private static INDArray[] featuresAndProbabilities(MnistClassifier c, INDArray images) {
        int n = (int) images.size(0);
        INDArray flat = images.reshape('c', n, images.length() / n);
        int batches = (n + BATCH - 1) / BATCH;
        INDArray[] features = new INDArray[batches];
        INDArray[] probabilities = new INDArray[batches];
        for (int i = 0; i < batches; i++) {
            int from = i * BATCH;
            int to = Math.min(n, from + BATCH);
            INDArray in = flat.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            var fp = c.featuresAndProbabilities(in);
            features[i] = fp.get(0).castTo(DataType.DOUBLE);
            probabilities[i] = fp.get(1).castTo(DataType.DOUBLE);
            in.close();
            fp.forEach(INDArray::close);
            if (i % 10 == 9) {
                reclaim();
            }
        }
        if (batches == 1) {
            return new INDArray[] {features[0], probabilities[0]};
        }
        INDArray[] both = {Nd4j.vstack(features), Nd4j.vstack(probabilities)};
        Arrays.stream(features).forEach(INDArray::close);
        Arrays.stream(probabilities).forEach(INDArray::close);
        return both;
    }

    private static RealMatrix covariance(INDArray f, INDArray mean) {
        INDArray centered = f.subRowVector(mean);
        INDArray cov = centered.transpose().mmul(centered).divi(f.size(0) - 1);
        return new Array2DRowRealMatrix(cov.toDoubleMatrix(), false);
    }

    /** Square root of a symmetric positive semi-definite matrix (negative rounding noise clipped to 0). */
    static RealMatrix sqrtPsd(RealMatrix m) {
        EigenDecomposition e = new EigenDecomposition(m);
        RealMatrix v = e.getV();
        double[] values = e.getRealEigenvalues();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < values.length; j++) {
            double s = Math.sqrt(Math.max(values[j], 0));
            for (int i = 0; i < values.length; i++) {
                scaled.multiplyEntry(i, j, s);
            }
        }
        return scaled.multiply(v.transpose());
    }

    private double frechet(INDArray f) {
        INDArray mean = f.mean(0);
        INDArray centered = f.subRowVector(mean);
        INDArray cov = centered.transpose().mmul(centered).divi(f.size(0) - 1);
        INDArray inner = refSqrtCov.mmul(cov).mmul(refSqrtCov);
        inner = inner.add(inner.transpose()).muli(0.5); // symmetric up to rounding; make it exact
        double traceSqrt = 0;
        // LAPACK's symmetric eigenvalues (syev, through ND4J); inner is overwritten
        for (double lambda : Eigen.symmetricGeneralizedEigenvalues(inner, false)
                .toDoubleVector()) {
            traceSqrt += Math.sqrt(Math.max(lambda, 0));
        }
        double meanDist = mean.sub(refMean).norm2Number().doubleValue();
        double trace = 0;
        for (int i = 0; i < cov.size(0); i++) {
            trace += cov.getDouble(i, i);
        }
        return meanDist * meanDist + refCovTrace + trace - 2 * traceSqrt;
    }

    private double[] kernelDistance(INDArray x, INDArray y) {
        int m = (int) Math.min(subsetSize, Math.min(x.size(0), y.size(0)));
        Random r = new Random(1234);
        double[] values = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            INDArray xs = subset(x, m, r);
            INDArray ys = subset(y, m, r);
            double kxx = offDiagonalSum(kernel(xs, xs));
            double kyy = offDiagonalSum(kernel(ys, ys));
            double kxy = sumAndClose(kernel(xs, ys));
            xs.close();
            ys.close();
            values[s] = (kxx + kyy) / ((double) m * (m - 1)) - 2 * kxy / ((double) m * m);
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, subsets - 1);
        return new double[] {mean, Math.sqrt(var)};
    }

    /**
     * Sum of the off-diagonal entries; frees {@code k}. The scoring makes a few hundred MB of temporaries, which
     * ND4J would otherwise free only when the Java objects are collected (the heap does not see their size).
     */
    private static double offDiagonalSum(INDArray k) {
        INDArray d = k.castTo(DataType.DOUBLE);
        INDArray diag = Nd4j.diag(d);
        double sum = d.sumNumber().doubleValue() - diag.sumNumber().doubleValue();
        diag.close();
        d.close();
        k.close();
        return sum;
    }

    /** Sum of all entries in double precision; frees {@code k}. */
    private static double sumAndClose(INDArray k) {
        INDArray d = k.castTo(DataType.DOUBLE);
        double sum = d.sumNumber().doubleValue();
        d.close();
        k.close();
        return sum;
    }

    private static INDArray kernel(INDArray a, INDArray b) {
        return Nd4j.math().pow(a.mmul(b.transpose()).divi(a.size(1)).addi(1), 3);
    }

    private static INDArray subset(INDArray f, int m, Random r) {
        int[] rows = r.ints(0, (int) f.size(0)).distinct().limit(m).toArray();
        return Nd4j.pullRows(f, 1, rows);
    }

    private double[] precisionRecall(INDArray real, INDArray fake) {
        Random r = new Random(99);
        int m = (int) Math.min(manifoldSize, Math.min(real.size(0), fake.size(0)));
        INDArray rs = real.size(0) > m ? subset(real, m, r) : real;
        INDArray fs = fake.size(0) > m ? subset(fake, m, r) : fake;
        double[] realRadius = kthNeighbourDistances(rs);
        double[] fakeRadius = kthNeighbourDistances(fs);
        return new double[] {covered(fs, rs, realRadius), covered(rs, fs, fakeRadius)};
    }

    /** Receives the squared distances of one row of a to every row of b. */
    private interface RowConsumer {
        void accept(int row, float[] distances);
    }

    /**
     * Squared distances between rows of a and rows of b, computed in blocks of rows of a and handed over a row at a
     * time through one reused array (copying each block to a Java matrix filled the heap at the end of a run).
     */
    private static void distances(INDArray a, INDArray b, RowConsumer consumer) {
        INDArray bSq = b.mul(b).sum(1);
        int cols = (int) b.size(0);
        float[] row = new float[cols];
        for (int from = 0; from < a.size(0); from += 500) {
            int to = (int) Math.min(a.size(0), from + 500);
            INDArray aPart = a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray d = Nd4j.createUninitialized(DataType.FLOAT, new long[] {to - from, cols}, 'c');
            aPart.mmul(b.transpose(), d).muli(-2).addiRowVector(bSq)
                    .addiColumnVector(aPart.mul(aPart).sum(1).reshape(to - from, 1));
            FloatBuffer values = d.data().asNioFloat();
            for (int i = 0; i < to - from; i++) {
                values.get(i * cols, row);
                consumer.accept(from + i, row);
            }
            d.close();
        }
        bSq.close();
    }

    /** Squared distance of each row to its K-th nearest other row. */
    private static double[] kthNeighbourDistances(INDArray f) {
        double[] radius = new double[(int) f.size(0)];
        distances(f, f, (i, row) -> radius[i] = smallest(row, K)); // the smallest is the point itself
        return radius;
    }

    /** The k-th smallest value (from 0) of {@code row}: one pass keeping the k + 1 smallest in order. */
    static double smallest(float[] row, int k) {
        double[] best = new double[k + 1];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (double v : row) {
            if (v < best[k]) {
                int j = k;
                while (j > 0 && best[j - 1] > v) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = v;
            }
        }
        return best[k];
    }

    /** Share of rows of {@code points} within the radius of at least one row of {@code centres}. */
    private static double covered(INDArray points, INDArray centres, double[] radius) {
        int[] inside = {0};
        distances(points, centres, (i, row) -> {
            for (int j = 0; j < row.length; j++) {
                if (row[j] <= radius[j]) {
                    inside[0]++;
                    break;
                }
            }
        });
        return (double) inside[0] / points.size(0);
    }
}
