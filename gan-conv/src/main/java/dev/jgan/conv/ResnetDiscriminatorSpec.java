package dev.jgan.conv;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * ResNet discriminator (SNGAN-style): {@code downsamples} residual blocks that each halve the sides (3×3
 * convolutions, average pooling, a 1×1 convolution on the shortcut), one residual block at the final size, ReLU, a
 * sum over positions and a dense layer to one logit. A null component takes its default.
 *
 * @param channels feature maps of every block, default 32
 * @param downsamples residual down-blocks (the image sides must be divisible by 2^downsamples), default 2
 * @param spectralNorm spectral normalisation of every convolution and dense weight, default true (as in SNGAN)
 */
public record ResnetDiscriminatorSpec(
        @JsonProperty("channels") Integer channels,
        @JsonProperty("downsamples") Integer downsamples,
        @JsonProperty("spectral_norm") Boolean spectralNorm) {

    public static final ResnetDiscriminatorSpec DEFAULT = new ResnetDiscriminatorSpec(null, null, null);

    public ResnetDiscriminatorSpec {
        channels = channels == null ? 32 : channels;
        Checks.check(channels >= 1 && channels <= 1024, "channels", "a channel count in [1, 1024]", channels);
        downsamples = downsamples == null ? 2 : downsamples;
        Checks.check(downsamples >= 1 && downsamples <= 6, "downsamples", "a block count in [1, 6]", downsamples);
        spectralNorm = spectralNorm == null ? Boolean.TRUE : spectralNorm;
    }
}
