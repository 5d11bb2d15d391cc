package dev.jgan.dl4j.fast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The one-pass average equals, bit for bit, ND4J's {@code average.muli(d).addi(θ.muli(1 − d))} it replaces. */
class ParameterAverageTest {

    @Test
    void equalsTheThreeArrayOperationsBitForBit() {
        Nd4j.getRandom().setSeed(7);
        // below and above a copy chunk (4096) and the size split over the cores (2^18 values touched)
        for (int n : new int[] {1, 4095, 4097, 300_001}) {
            for (double decay : new double[] {0.999, 0.995, 0.5, 1e-3, 0.9990000000000001}) {
                INDArray average = Nd4j.randn(DataType.FLOAT, n).muli(3);
                INDArray params = Nd4j.randn(DataType.FLOAT, n);
                INDArray expected = average.dup().muli(decay).addi(params.dup().muli(1 - decay));
                INDArray before = params.dup();
                assertThat(ParameterAverage.update(average, params, decay)).isTrue();
                assertThat(firstDifference(average.toFloatVector(), expected.toFloatVector()))
                        .as("first differing element, n %d, decay %s", n, decay).isEqualTo(-1);
                assertThat(firstDifference(params.toFloatVector(), before.toFloatVector())).isEqualTo(-1);
            }
        }
    }

    /** The first index whose bits differ, or -1. */
    private static int firstDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void decayZeroCopiesTheParameters() {
        INDArray average = Nd4j.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1f});
        INDArray params = Nd4j.create(new float[] {1f, -2f, 3.5f});
        assertThat(ParameterAverage.update(average, params, 0)).isTrue();
        assertThat(average.toFloatVector()).containsExactly(1f, -2f, 3.5f);
    }

    @Test
    void leavesOtherArraysToTheCaller() {
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, 4);
        INDArray floats = Nd4j.ones(DataType.FLOAT, 4);
        assertThat(ParameterAverage.update(doubles, floats, 0.9)).isFalse();
        assertThat(ParameterAverage.update(Nd4j.zeros(DataType.FLOAT, 5), floats, 0.9)).isFalse();
        INDArray strided = Nd4j.zeros(DataType.FLOAT, 8).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 8));
        assertThat(ParameterAverage.update(strided, floats, 0.9)).isFalse();
        assertThat(doubles.sumNumber().doubleValue()).isZero();
    }
}
