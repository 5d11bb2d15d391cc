package dev.jgan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ConditioningTest {

    private static INDArray concatenated(INDArray noise, int[] labels, int k) {
        return Nd4j.hstack(noise, Conditioning.oneHot(labels, k).castTo(noise.dataType()));
    }

    @Test
    void generatorInputIsTheNoiseFollowedByOneHotRows() {
        INDArray noise = Nd4j.rand(DataType.FLOAT, 5, 7);
        int[] labels = {2, 0, 3, 3, 1};
        INDArray input = Conditioning.generatorInput(noise, labels, 4);
        assertThat(input.shape()).containsExactly(5, 11);
        assertThat(input.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(input).isEqualTo(concatenated(noise, labels, 4));
        assertThat(input.getFloat(2, 7 + 3)).isEqualTo(1f);
        assertThat(input.get(NDArrayIndex.point(2), NDArrayIndex.interval(7, 11)).sumNumber().floatValue())
                .isEqualTo(1f);
    }

    @Test
    void viewsColumnMajorNoiseAndDoublesGiveTheSameRows() {
        INDArray wide = Nd4j.rand(DataType.FLOAT, 6, 9);
        INDArray view = wide.get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(2, 8));
        int[] labels = {1, 1, 0, 2};
        assertThat(Conditioning.generatorInput(view, labels, 3)).isEqualTo(concatenated(view.dup(), labels, 3));
        INDArray columnMajor = view.dup('f');
        assertThat(Conditioning.generatorInput(columnMajor, labels, 3))
                .isEqualTo(concatenated(view.dup(), labels, 3));
        INDArray doubles = view.castTo(DataType.DOUBLE);
        INDArray input = Conditioning.generatorInput(doubles, labels, 3);
        assertThat(input.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(input).isEqualTo(concatenated(doubles, labels, 3));
    }

    @Test
    void labelsOutsideTheClassesOrMissingAreRefused() {
        INDArray noise = Nd4j.rand(DataType.FLOAT, 2, 3);
        assertThatThrownBy(() -> Conditioning.generatorInput(noise, new int[] {0, 4}, 4))
                .hasMessageContaining("label 4 outside [0, 4)");
        assertThatThrownBy(() -> Conditioning.generatorInput(noise, new int[] {0}, 4))
                .hasMessageContaining("one label per noise vector");
        assertThat(Conditioning.generatorInput(noise, null, 0)).isSameAs(noise);
    }
}
