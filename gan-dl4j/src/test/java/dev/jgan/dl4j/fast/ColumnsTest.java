package dev.jgan.dl4j.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Columns against the definition of im2col, and col2im as its adjoint. */
class ColumnsTest {

    /** channels, height, width, kernel, stride, padTop, padLeft, outH, outW */
    private static final int[][] GEOMETRIES = {
        {1, 28, 28, 4, 2, 1, 1, 14, 14}, // the DCGAN's first layer (SAME)
        {3, 7, 6, 3, 2, 0, 0, 4, 3},     // SAME with the padding at the bottom and right only
        {2, 8, 8, 3, 1, 1, 1, 8, 8},
        {2, 5, 5, 5, 3, 2, 2, 2, 2},     // taps entirely outside the image on some rows
        {1, 4, 4, 2, 2, 0, 0, 2, 2},
    };

    private static Columns columns(int[] g) {
        return new Columns(g[0], g[1], g[2], new int[] {g[3], g[3]}, new int[] {g[4], g[4]}, g[5], g[6], g[7], g[8]);
    }

    @Test
    void im2colTakesEachTapOrZeroOutsideTheImage() {
        Random random = new Random(1);
        for (int[] g : GEOMETRIES) {
            int n = 3;
            float[] x = new float[n * g[0] * g[1] * g[2]];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() + 0.5f;
            }
            Columns c = columns(g);
            float[] cols = new float[c.rows() * c.columns(n)];
            java.util.Arrays.fill(cols, Float.NaN);
            c.im2col(x, n, cols);
            int k = g[3];
            for (int ci = 0; ci < g[0]; ci++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        int row = (ci * k + ky) * k + kx;
                        for (int img = 0; img < n; img++) {
                            for (int oy = 0; oy < g[7]; oy++) {
                                for (int ox = 0; ox < g[8]; ox++) {
                                    int iy = oy * g[4] - g[5] + ky;
                                    int ix = ox * g[4] - g[6] + kx;
                                    float expected = iy < 0 || iy >= g[1] || ix < 0 || ix >= g[2] ? 0f
                                            : x[((img * g[0] + ci) * g[1] + iy) * g[2] + ix];
                                    float actual = cols[row * c.columns(n) + (img * g[7] + oy) * g[8] + ox];
                                    assertThat(actual).as("geometry %s", java.util.Arrays.toString(g))
                                            .isEqualTo(expected);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void col2imIsTheAdjointOfIm2colAndStartsFromTheGivenValues() {
        Random random = new Random(2);
        for (int[] g : GEOMETRIES) {
            int n = 2;
            Columns c = columns(g);
            float[] x = new float[n * g[0] * g[1] * g[2]];
            float[] y = new float[c.rows() * c.columns(n)];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() - 0.5f;
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = random.nextFloat() - 0.5f;
            }
            float[] cols = new float[y.length];
            c.im2col(x, n, cols);
            float[] image = new float[x.length];
            c.col2im(y, n, image);
            double left = 0;
            double right = 0;
            for (int i = 0; i < y.length; i++) {
                left += (double) cols[i] * y[i];
            }
            for (int i = 0; i < x.length; i++) {
                right += (double) x[i] * image[i];
            }
            assertThat(right).as("geometry %s", java.util.Arrays.toString(g)).isCloseTo(left, within(1e-4));

            float[] start = new float[g[0]];
            for (int ci = 0; ci < start.length; ci++) {
                start[ci] = ci + 1;
            }
            float[] shifted = new float[x.length];
            c.col2im(y, n, shifted, start);
            int plane = g[1] * g[2];
            for (int i = 0; i < x.length; i++) {
                assertThat(shifted[i]).isCloseTo(image[i] + start[i / plane % g[0]], within(1e-5f));
            }
        }
    }
}
