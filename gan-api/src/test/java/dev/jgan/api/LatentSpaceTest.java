package dev.jgan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LatentSpaceTest {

    @Test
    void normalSamplesHaveUnitVarianceAndAreReproducible() {
        LatentSpace z = new LatentSpace(50, LatentSpace.Distribution.NORMAL);
        INDArray a = z.sample(400, Nd4j.getRandomFactory().getNewRandomInstance(5));
        INDArray b = z.sample(400, Nd4j.getRandomFactory().getNewRandomInstance(5));
        assertThat(a.shape()).containsExactly(400, 50);
        assertThat(a.meanNumber().doubleValue()).isCloseTo(0, within(0.02));
        assertThat(a.stdNumber().doubleValue()).isCloseTo(1, within(0.03));
        assertThat(a.toFloatMatrix()).isEqualTo(b.toFloatMatrix());
    }

    @Test
    void uniformSamplesStayInRange() {
        INDArray a = new LatentSpace(10, LatentSpace.Distribution.UNIFORM)
                .sample(1000, Nd4j.getRandomFactory().getNewRandomInstance(1));
        assertThat(a.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1);
        assertThat(a.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
        assertThat(a.meanNumber().doubleValue()).isCloseTo(0, within(0.03));
    }

    @Test
    void sizeMustBePositive() {
        assertThatThrownBy(() -> new LatentSpace(0, LatentSpace.Distribution.NORMAL))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("size");
    }
}
