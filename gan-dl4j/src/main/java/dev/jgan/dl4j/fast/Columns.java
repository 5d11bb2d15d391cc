package dev.jgan.dl4j.fast;

import java.util.Arrays;

/**
 * The image-to-columns rearrangement of a 2-D convolution over NCHW float arrays, and its adjoint, in Java. Columns
 * are a row-major {@code [c kH kW, n oH oW]} matrix: row {@code (ci, ky, kx)}, column {@code (image, oy, ox)}, holding
 * input pixel {@code (ci, oy sH - padTop + ky, ox sW - padLeft + kx)} or 0 outside the image; a convolution is then
 * one GEMM of the {@code [out, c kH kW]} weights with the columns.
 *
 * <p>Written here rather than through libnd4j's {@code im2col}/{@code col2im} ops because the layers that use it
 * need the columns in this GEMM-ready order (libnd4j's are {@code [n, c, kH, kW, oH, oW]}, which needs a permuted
 * copy) and already hold the image as a Java array.
 */
final class Columns {
    private final int channels;
    private final int height;
    private final int width;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    private final int outH;
    private final int outW;

    /**
     * The geometry of a convolution from a {@code [channels, height, width]} image to an {@code outH x outW} grid,
     * padded {@code padTop}/{@code padLeft} at the top/left (and as far as needed at the bottom/right).
     */
    Columns(int channels, int height, int width, int[] kernel, int[] stride, int padTop, int padLeft, int outH,
            int outW) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kernelH = kernel[0];
        this.kernelW = kernel[1];
        this.strideH = stride[0];
        this.strideW = stride[1];
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.outH = outH;
        this.outW = outW;
    }

    /** Rows of the column matrix: {@code channels kH kW}. */
    int rows() {
        return channels * kernelH * kernelW;
    }

    /** Columns of the column matrix for {@code n} images: {@code n oH oW}. */
    int columns(int n) {
        return n * outH * outW;
    }

    /** Writes the columns of images {@code x} ({@code [n, channels, height, width]}) into {@code cols}. */
    void im2col(float[] x, int n, float[] cols) {
        int rows = rows();
        int perRow = columns(n);
        Split.run(rows, (long) rows * perRow, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int kx = r % kernelW;
                int ky = r / kernelW % kernelH;
                int ci = r / (kernelW * kernelH);
                int dst = r * perRow;
                // the outputs whose tap lies inside the image: oxLo <= ox < oxHi
                int shift = kx - padLeft;
                int oxLo = Math.min(outW, shift >= 0 ? 0 : (-shift + strideW - 1) / strideW);
                int oxHi = Math.max(oxLo, Math.min(outW, Math.floorDiv(width - 1 - shift, strideW) + 1));
                for (int img = 0; img < n; img++) {
                    int plane = (img * channels + ci) * height * width;
                    for (int oy = 0; oy < outH; oy++, dst += outW) {
                        int iy = oy * strideH - padTop + ky;
                        if (iy < 0 || iy >= height) {
                            Arrays.fill(cols, dst, dst + outW, 0f);
                            continue;
                        }
                        int src = plane + iy * width + shift;
                        Arrays.fill(cols, dst, dst + oxLo, 0f);
                        for (int ox = oxLo; ox < oxHi; ox++) {
                            cols[dst + ox] = x[src + ox * strideW];
                        }
                        Arrays.fill(cols, dst + oxHi, dst + outW, 0f);
                    }
                }
            }
        });
    }

    /** Writes into {@code x} ({@code [n, channels, height, width]}) the sum of each pixel's entries in {@code cols}. */
    void col2im(float[] cols, int n, float[] x) {
        col2im(cols, n, x, new float[channels]);
    }

    /** As {@link #col2im(float[], int, float[])}, each channel's sums starting from {@code start[channel]}. */
    void col2im(float[] cols, int n, float[] x, float[] start) {
        int perRow = columns(n);
        int planeSize = height * width;
        Split.run(n * channels, 2L * perRow * kernelH * kernelW * channels, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int img = p / channels;
                int ci = p % channels;
                int plane = p * planeSize;
                Arrays.fill(x, plane, plane + planeSize, start[ci]);
                for (int ky = 0; ky < kernelH; ky++) {
                    for (int kx = 0; kx < kernelW; kx++) {
                        int src = ((ci * kernelH + ky) * kernelW + kx) * perRow + img * outH * outW;
                        for (int oy = 0; oy < outH; oy++, src += outW) {
                            int iy = oy * strideH - padTop + ky;
                            if (iy < 0 || iy >= height) {
                                continue;
                            }
                            int dst = plane + iy * width;
                            for (int ox = 0; ox < outW; ox++) {
                                int ix = ox * strideW - padLeft + kx;
                                if (ix >= 0 && ix < width) {
                                    x[dst + ix] += cols[src + ox];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
