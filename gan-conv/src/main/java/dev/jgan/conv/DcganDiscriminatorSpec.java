package dev.jgan.conv;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * DCGAN discriminator: one stride-2 convolution per entry of {@code filters}, each followed by LeakyReLU and, from
 * the second on, batch norm before it; then a dense layer to one logit. A null component takes its default.
 *
 * @param filters feature maps of each stride-2 convolution, default [32, 64]
 * @param kernel square kernel size, default 4
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after every convolution but the first, default true
 * @param dropout probability of dropping a unit before the final dense layer, default 0
 * @param spectralNorm spectral normalisation of every convolution and dense weight, default false
 */
public record DcganDiscriminatorSpec(
        @JsonProperty("filters") List<Integer> filters,
        @JsonProperty("kernel") Integer kernel,
        @JsonProperty("leaky_relu") Double leakyRelu,
        @JsonProperty("batch_norm") Boolean batchNorm,
        @JsonProperty("dropout") Double dropout,
        @JsonProperty("spectral_norm") Boolean spectralNorm) {

    public static final DcganDiscriminatorSpec DEFAULT = new DcganDiscriminatorSpec(null, null, null, null, null,
            null);

    public DcganDiscriminatorSpec {
        filters = checkFilters(filters == null ? List.of(32, 64) : filters);
        kernel = kernel == null ? 4 : kernel;
        Checks.check(kernel >= 1 && kernel <= 9, "kernel", "a kernel size in [1, 9]", kernel);
        leakyRelu = leakyRelu == null ? 0.2 : leakyRelu;
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        batchNorm = batchNorm == null ? Boolean.TRUE : batchNorm;
        dropout = dropout == null ? 0.0 : dropout;
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
        spectralNorm = spectralNorm == null ? Boolean.FALSE : spectralNorm;
    }

    /** The most stages a DCGAN network may have (each halves or doubles the image side). */
    static final int MAX_STAGES = 16;

    static List<Integer> checkFilters(List<Integer> filters) {
        return Checks.sizes("filters", filters, MAX_STAGES, 4096, "filter counts");
    }
}
