package dev.jgan.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.LatentPaths;
import dev.jgan.conv.DcganGeneratorSpec.Upsampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GeneratorModelTest {

    @TempDir
    Path dir;

    GeneratorModel conditional;

    @BeforeEach
    void load() throws Exception {
        var g = TestGenerators.randomised(TestGenerators.dcgan(4, Upsampling.TRANSPOSED, 3), 5);
        conditional = GeneratorModel.load(TestGenerators.save(g, dir.resolve("g.zip")));
    }

    @Test
    void imagesAreNchwInMinusOneToOne() {
        INDArray x = conditional.sample(7, 1);
        assertThat(x.shape()).containsExactly(7, 1, 12, 12);
        assertThat(x.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1);
        assertThat(x.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
        assertThat(x.stdNumber().doubleValue()).isGreaterThan(0.01);
    }

    @Test
    void theSameSeedGivesTheSameImagesWhateverTheBatchSize() {
        INDArray hundred = conditional.sample(300, 42); // more than one network batch (256)
        assertThat(conditional.sample(10, 42)).isEqualTo(hundred.get(NDArrayIndex.interval(0, 10)));
        assertThat(conditional.sample(1, 42)).isEqualTo(hundred.get(NDArrayIndex.interval(0, 1)));
        assertThat(conditional.sample(300, 42)).isEqualTo(hundred);
        assertThat(conditional.sampleRange(250, 20, 42)).isEqualTo(hundred.get(NDArrayIndex.interval(250, 270)));
        assertThat(conditional.sample(10, 43)).isNotEqualTo(hundred.get(NDArrayIndex.interval(0, 10)));
        // per class: the same latent vectors, another label
        INDArray ofClass2 = conditional.sample(20, 42, 2);
        assertThat(conditional.sample(5, 42, 2)).isEqualTo(ofClass2.get(NDArrayIndex.interval(0, 5)));
        assertThat(ofClass2.get(NDArrayIndex.interval(2, 3))).isEqualTo(hundred.get(NDArrayIndex.interval(2, 3)));
        assertThat(ofClass2.get(NDArrayIndex.interval(0, 1))).isNotEqualTo(hundred.get(NDArrayIndex.interval(0, 1)));
    }

    @Test
    void eightThreadsGetWhatOneThreadGets() throws Exception {
        int threads = 8;
        List<INDArray> serial = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            serial.add(conditional.sample(40, t));
        }
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CyclicBarrier(threads);
            List<Future<List<INDArray>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                Callable<List<INDArray>> job = () -> {
                    start.await();
                    List<INDArray> mine = new ArrayList<>();
                    for (int rep = 0; rep < 5; rep++) {
                        mine.add(conditional.sample(40, seed));
                    }
                    return mine;
                };
                futures.add(pool.submit(job));
            }
            for (int t = 0; t < threads; t++) {
                for (INDArray x : futures.get(t).get()) {
                    assertThat(x).isEqualTo(serial.get(t));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterpolationRunsFromTheFirstImageOfOneSeedToThatOfTheOther() {
        for (LatentPaths.Kind kind : LatentPaths.Kind.values()) {
            INDArray walk = conditional.interpolate(3, 9, 6, kind, 1);
            assertThat(walk.shape()).containsExactly(6, 1, 12, 12);
            INDArray a = conditional.sample(1, 3, 1);
            INDArray b = conditional.sample(1, 9, 1);
            double endA = walk.get(NDArrayIndex.interval(0, 1)).sub(a).amaxNumber().doubleValue();
            double endB = walk.get(NDArrayIndex.interval(5, 6)).sub(b).amaxNumber().doubleValue();
            assertThat(endA).as(kind.name()).isLessThan(1e-5);
            assertThat(endB).as(kind.name()).isLessThan(1e-5);
        }
    }

    @Test
    void theCardComesFromTheFile() {
        ModelCard card = conditional.card();
        assertThat(card.name()).isEqualTo("g.zip");
        assertThat(card.type()).isEqualTo("dcgan");
        assertThat(card.latentSize()).isEqualTo(TestGenerators.LATENT);
        assertThat(card.numClasses()).isEqualTo(3);
        assertThat(card.classes()).isEqualTo("labels");
        assertThat(card.steps()).isEqualTo(123);
        assertThat(card.image().height()).isEqualTo(12);
    }

    @Test
    void pngGridsAndImagesHaveTheImageSize() throws Exception {
        INDArray x = conditional.sample(6, 1);
        var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(GeneratorModel.png(x, 3)));
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(3 * 12);
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(2 * 12);
        assertThat(GeneratorModel.toImages(x)).hasSize(6).allSatisfy(i -> assertThat(i.getWidth()).isEqualTo(12));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> conditional.sample(0, 1)).hasMessageContaining("n:");
        assertThatThrownBy(() -> conditional.sample(2, 1, 3)).hasMessageContaining("[0, 2]");
        assertThatThrownBy(() -> conditional.interpolate(1, 2, 1, LatentPaths.Kind.LINEAR))
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> GeneratorModel.pretrained("no-such-model")).hasMessageContaining("no-such-model");
    }
}
