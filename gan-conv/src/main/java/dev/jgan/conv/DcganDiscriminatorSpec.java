package dev.jgan.conv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * DCGAN discriminator: one stride-2 convolution per entry of {@code filters}, each followed by LeakyReLU and, from
 * the second on, batch norm before it; then a dense layer to one logit.
 *
 * @param filters feature maps of each stride-2 convolution, default [32, 64]
 * @param kernel square kernel size, default 4
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after every convolution but the first, default true
 * @param dropout probability of dropping a unit before the final dense layer, default 0
 * @param spectralNorm spectral normalisation of every convolution and dense weight, default false
 */
public record DcganDiscriminatorSpec(List<Integer> filters, int kernel, double leakyRelu, boolean batchNorm,
                                     double dropout, boolean spectralNorm) {

    public static final DcganDiscriminatorSpec DEFAULT = new DcganDiscriminatorSpec(List.of(32, 64), 4, 0.2, true,
            0, false);

    public DcganDiscriminatorSpec {
        filters = checkFilters(filters);
        Checks.check(kernel >= 1 && kernel <= 9, "kernel", "a kernel size in [1, 9]", kernel);
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
    }

    static List<Integer> checkFilters(List<Integer> filters) {
        Checks.check(filters != null && !filters.isEmpty(), "filters", "a non-empty list of filter counts",
                filters);
        for (Integer f : filters) {
            Checks.check(f != null && f >= 1, "filters", "filter counts >= 1", filters);
        }
        return List.copyOf(filters);
    }

    @JsonCreator
    static DcganDiscriminatorSpec fromJson(@JsonProperty("filters") List<Integer> filters,
                                           @JsonProperty("kernel") Integer kernel,
                                           @JsonProperty("leaky_relu") Double leakyRelu,
                                           @JsonProperty("batch_norm") Boolean batchNorm,
                                           @JsonProperty("dropout") Double dropout,
                                           @JsonProperty("spectral_norm") Boolean spectralNorm) {
        return new DcganDiscriminatorSpec(filters == null ? DEFAULT.filters : filters,
                kernel == null ? DEFAULT.kernel : kernel,
                leakyRelu == null ? DEFAULT.leakyRelu : leakyRelu,
                batchNorm == null ? DEFAULT.batchNorm : batchNorm,
                dropout == null ? DEFAULT.dropout : dropout,
                spectralNorm == null ? DEFAULT.spectralNorm : spectralNorm);
    }

    @JsonProperty("filters") @Override public List<Integer> filters() { return filters; }
    @JsonProperty("kernel") @Override public int kernel() { return kernel; }
    @JsonProperty("leaky_relu") @Override public double leakyRelu() { return leakyRelu; }
    @JsonProperty("batch_norm") @Override public boolean batchNorm() { return batchNorm; }
    @JsonProperty("dropout") @Override public double dropout() { return dropout; }
    @JsonProperty("spectral_norm") @Override public boolean spectralNorm() { return spectralNorm; }
}
