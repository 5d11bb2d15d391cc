package dev.jgan.conv;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * ResNet generator (SNGAN-style): a dense layer to a {@code channels}×(H/2^u)×(W/2^u) map, {@code upsamples}
 * residual blocks that each double the sides, then batch norm, ReLU and a 3×3 convolution to the image with tanh.
 * A null component takes its default.
 *
 * @param channels feature maps of every block, default 32
 * @param upsamples residual up-blocks (the image sides must be divisible by 2^upsamples), default 2
 */
public record ResnetGeneratorSpec(
        @JsonProperty("channels") Integer channels,
        @JsonProperty("upsamples") Integer upsamples) {

    public static final ResnetGeneratorSpec DEFAULT = new ResnetGeneratorSpec(null, null);

    public ResnetGeneratorSpec {
        channels = channels == null ? 32 : channels;
        Checks.check(channels >= 1 && channels <= 1024, "channels", "a channel count in [1, 1024]", channels);
        upsamples = upsamples == null ? 2 : upsamples;
        Checks.check(upsamples >= 1 && upsamples <= 6, "upsamples", "a block count in [1, 6]", upsamples);
    }
}
