package dev.jgan.trainer.loop;

import dev.jgan.trainer.config.AugmentConfig;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;

/**
 * DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training"): the discriminator
 * sees every image, real or generated, through a random transform T, and G's gradient flows back through T.
 *
 * <p>T, per image of a batch {@code [n, C, H, W]}: translate by (δy, δx), each uniform in [−t·H, t·H] and
 * [−t·W, t·W] pixels, filling the uncovered border with −1; then set a square of side ⌊c·H⌋ × ⌊c·W⌋, its centre
 * uniform over the image (the square clipped at the edges), to −1. Every output pixel is either one input pixel or
 * the constant −1, so T(x) = M·x + b with M a 0/1 selection matrix; its adjoint Mᵀ sends each output gradient back
 * to the input pixel it came from ({@link Draw#adjoint}). Written in Java: each image is a few hundred
 * index moves, and ND4J has no per-sample shift with an adjoint.
 */
public final class DiffAugment {

    /** Value of the filled border and of the cut-out square (black in images scaled to [−1, 1]). */
    public static final float FILL = -1f;

    private final double translation;
    private final double cutout;

    /** An augmentation with the fractions of {@code config}. */
    public DiffAugment(AugmentConfig config) {
        this.translation = config.translation();
        this.cutout = config.cutout();
    }

    /** Draws one random transform per image of a batch of {@code n} images of {@code height × width} pixels. */
    public Draw draw(int n, int height, int width, Random rng) {
        int[] dy = new int[n];
        int[] dx = new int[n];
        int[] cy = new int[n];
        int[] cx = new int[n];
        int maxY = (int) Math.round(translation * height);
        int maxX = (int) Math.round(translation * width);
        int cutH = (int) (cutout * height);
        int cutW = (int) (cutout * width);
        for (int i = 0; i < n; i++) {
            dy[i] = maxY == 0 ? 0 : rng.nextInt(2 * maxY + 1) - maxY;
            dx[i] = maxX == 0 ? 0 : rng.nextInt(2 * maxX + 1) - maxX;
            cy[i] = cutH == 0 ? 0 : rng.nextInt(height) - cutH / 2;
            cx[i] = cutW == 0 ? 0 : rng.nextInt(width) - cutW / 2;
        }
        return new Draw(height, width, dy, dx, cy, cx, cutH, cutW);
    }

    /**
     * One drawn transform of a batch: per image, the shift and the top-left corner of the cut-out square (which may
     * lie partly outside the image).
     */
    public static final class Draw {
        private final int height, width, cutH, cutW;
        private final int[] dy, dx, cy, cx;

        Draw(int height, int width, int[] dy, int[] dx, int[] cy, int[] cx, int cutH, int cutW) {
            this.height = height;
            this.width = width;
            this.dy = dy;
            this.dx = dx;
            this.cy = cy;
            this.cx = cx;
            this.cutH = cutH;
            this.cutW = cutW;
        }

        /** T(images), a new array of the same shape. */
        public INDArray apply(INDArray images) {
            float[] in = flat(images);
            float[] out = new float[in.length];
            Arrays.fill(out, FILL);
            walk(in.length, (o, i) -> out[o] = in[i]);
            return Nd4j.create(out, images.shape(), 'c');
        }

        /** Mᵀ·gradient: the gradient with respect to the images, from one with respect to T(images). */
        public INDArray adjoint(INDArray gradient) {
            float[] g = flat(gradient);
            float[] back = new float[g.length];
            walk(g.length, (o, i) -> back[i] = g[o]);
            return Nd4j.create(back, gradient.shape(), 'c');
        }

        private interface Move {
            void copy(int out, int in);
        }

        /** Calls {@code move} for every output pixel that comes from an input pixel. */
        private void walk(int length, Move move) {
            int plane = height * width;
            int n = dy.length;
            int channels = length / n / plane;
            if ((long) n * channels * plane != length) {
                throw new IllegalArgumentException("expected " + n + " images of " + height + "x" + width
                        + " pixels, got " + length + " values");
            }
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < channels; c++) {
                    int base = (s * channels + c) * plane;
                    for (int y = 0; y < height; y++) {
                        int sy = y - dy[s];
                        if (sy < 0 || sy >= height) {
                            continue;
                        }
                        boolean cutRow = y >= cy[s] && y < cy[s] + cutH;
                        for (int x = 0; x < width; x++) {
                            int sx = x - dx[s];
                            if (sx < 0 || sx >= width || (cutRow && x >= cx[s] && x < cx[s] + cutW)) {
                                continue;
                            }
                            move.copy(base + y * width + x, base + sy * width + sx);
                        }
                    }
                }
            }
        }

        private static float[] flat(INDArray a) {
            INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
            return c.dup('c').reshape(c.length()).toFloatVector();
        }
    }
}
