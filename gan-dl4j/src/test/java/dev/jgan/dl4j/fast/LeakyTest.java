package dev.jgan.dl4j.fast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The branch-free ReLU / leaky ReLU equal their plain definitions, including libnd4j's derivative at 0. */
class LeakyTest {

    private static final float[] VALUES = {3f, -3f, 1e-40f, -1e-40f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MAX_VALUE, -Float.MAX_VALUE, 0.5f, -0.25f};

    @Test
    void matchesTheDefinitions() {
        for (float s : new float[] {0f, 0.2f, 0.01f, 1f}) {
            for (float x : VALUES) {
                float expected = x > 0 ? x : s * x;
                assertThat(Leaky.apply(x, s)).as("apply(%s, %s)", x, s).isEqualTo(expected);
                // libnd4j: relu_bp passes the gradient where x > 0; lrelu_bp scales it where x < 0
                float derivative = s == 0 ? (x > 0 ? 1 : 0) : (x < 0 ? s : 1);
                assertThat(Leaky.derivative(x, s)).as("derivative(%s, %s)", x, s).isEqualTo(derivative);
            }
        }
    }
}
