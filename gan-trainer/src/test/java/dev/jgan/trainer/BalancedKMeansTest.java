package dev.jgan.trainer;

import dev.jgan.trainer.data.BalancedKMeans;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.IdxDatasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageDataset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Balanced k-means finds separated groups exactly, never makes a cluster larger than ⌈n/k⌉, and repeats. */
class BalancedKMeansTest {

    @Test
    void separatedBlobsOfEqualSizeAreFoundExactly() {
        int perBlob = 50;
        int k = 4;
        float[] points = new float[k * perBlob * 3];
        Random rng = new Random(1);
        for (int b = 0; b < k; b++) {
            for (int i = 0; i < perBlob; i++) {
                for (int d = 0; d < 3; d++) {
                    points[((b * perBlob) + i) * 3 + d] = (d == b % 3 ? 10f * (1 + b / 3) : 0f)
                            + (float) rng.nextGaussian() * 0.3f;
                }
            }
        }
        int[] c = BalancedKMeans.cluster(Nd4j.create(points, new long[] {k * perBlob, 3}, 'c'), k, 7, 20);
        Set<Integer> labelsOfBlobs = new HashSet<>();
        for (int b = 0; b < k; b++) {
            int[] blob = Arrays.copyOfRange(c, b * perBlob, (b + 1) * perBlob);
            assertThat(Arrays.stream(blob).distinct().count()).as("blob %d is one cluster", b).isEqualTo(1);
            labelsOfBlobs.add(blob[0]);
        }
        assertThat(labelsOfBlobs).hasSize(k);
    }

    @Test
    void mnistDigitsFallIntoEqualClustersThatFollowTheDigits() throws Exception {
        ImageDataset data = IdxDatasets.load(new DataConfig("mnist", null, "train", false, null, 3000));
        int k = 10;
        int[] c = BalancedKMeans.cluster(data.images(), k, 42, 20);
        int[] size = new int[k];
        for (int x : c) {
            size[x]++;
        }
        assertThat(Arrays.stream(size).sum()).isEqualTo(3000);
        assertThat(Arrays.stream(size).max().getAsInt()).isLessThanOrEqualTo(300);
        assertThat(c).isEqualTo(BalancedKMeans.cluster(data.images(), k, 42, 20));
        // purity: the share of images whose cluster's most common digit is their own
        int[][] counts = new int[k][10];
        int[] labels = data.labels();
        for (int i = 0; i < c.length; i++) {
            counts[c[i]][labels[i]]++;
        }
        int agree = 0;
        for (int[] row : counts) {
            agree += Arrays.stream(row).max().getAsInt();
        }
        double purity = agree / 3000.0;
        System.out.printf("balanced k-means purity on 3,000 MNIST digits, k=10: %.3f%n", purity);
        assertThat(purity).as("chance is about 0.11").isGreaterThan(0.45);
    }

    @Test
    void aRunConditionedOnClustersNeedsNoLabelsAndSaysWhatItsClassesAre(@org.junit.jupiter.api.io.TempDir
                                                                        java.nio.file.Path tmp) throws Exception {
        var c = TestSupport.config("""
                {"seed": 4, "latent": {"size": 16}, "data": {"limit": 320},
                 "conditional": {"num_classes": 4, "labels": "clusters"},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32, 16]},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 3, "grid_size": 4},
                 "output": {"directory": "%s", "name": "k"}}
                """.formatted(tmp.toString().replace('\\', '/')));
        var unlabelled = IdxDatasets.load(c.data());
        var data = new ImageDataset("no labels", unlabelled.shape(), unlabelled.images(), null);
        var r = new dev.jgan.trainer.run.GanRun(c, "k", new dev.jgan.trainer.config.ConfigReader()).withData(data).run();
        assertThat(r.summary().steps()).isEqualTo(3);
        String provenance = java.nio.file.Files.readString(r.directory().resolve("provenance.json"));
        assertThat(provenance).contains("\"labels\" : \"clusters\"").contains("4 k-means clusters");
        assertThat(dev.jgan.dl4j.ModelFiles.loadGenerator(r.generatorFile()).numClasses()).isEqualTo(4);
    }
}
