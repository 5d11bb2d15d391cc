package dev.jgan.conv;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * DCGAN generator: latent → dense → reshape to {@code filters[0]}×s×s → batch norm → ReLU → for each further entry
 * of {@code filters}: ×2 upsampling convolution → batch norm → ReLU → last ×2 upsampling convolution to the image's
 * channels → tanh. One ×2 stage per entry of {@code filters}, so s = H / 2^filters.size() (7 for 28×28 and two
 * entries). A null component takes its default.
 *
 * @param filters feature maps before each ×2 stage, default [64, 32]
 * @param kernel square kernel size, default 4
 * @param upsampling {@code transposed} (transposed convolution, stride 2, default) or {@code upsample} (nearest
 *     neighbour ×2 then a stride-1 convolution)
 * @param batchNorm batch norm after every hidden layer, default true
 */
public record DcganGeneratorSpec(
        @JsonProperty("filters") List<Integer> filters,
        @JsonProperty("kernel") Integer kernel,
        @JsonProperty("upsampling") Upsampling upsampling,
        @JsonProperty("batch_norm") Boolean batchNorm) {

    /** How the generator doubles the spatial size. */
    public enum Upsampling {
        @JsonProperty("transposed") TRANSPOSED,
        @JsonProperty("upsample") UPSAMPLE
    }

    public static final DcganGeneratorSpec DEFAULT = new DcganGeneratorSpec(null, null, null, null);

    public DcganGeneratorSpec {
        filters = DcganDiscriminatorSpec.checkFilters(filters == null ? List.of(64, 32) : filters);
        kernel = kernel == null ? 4 : kernel;
        Checks.check(kernel >= 1 && kernel <= 9, "kernel", "a kernel size in [1, 9]", kernel);
        upsampling = upsampling == null ? Upsampling.TRANSPOSED : upsampling;
        batchNorm = batchNorm == null ? Boolean.TRUE : batchNorm;
    }
}
