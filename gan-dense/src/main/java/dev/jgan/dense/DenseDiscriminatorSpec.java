package dev.jgan.dense;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * Fully connected discriminator: image → [dense → (batch norm) → LeakyReLU → dropout] per hidden size → one logit.
 * A null component takes its default.
 *
 * @param hidden hidden layer sizes, default [512, 256]
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after each hidden layer, default false
 * @param dropout probability of dropping a hidden unit, default 0.3
 * @param spectralNorm spectral normalisation of every weight matrix, default false
 */
public record DenseDiscriminatorSpec(
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("leaky_relu") Double leakyRelu,
        @JsonProperty("batch_norm") Boolean batchNorm,
        @JsonProperty("dropout") Double dropout,
        @JsonProperty("spectral_norm") Boolean spectralNorm) {

    public static final DenseDiscriminatorSpec DEFAULT = new DenseDiscriminatorSpec(null, null, null, null, null);

    public DenseDiscriminatorSpec {
        hidden = checkHidden(hidden == null ? List.of(512, 256) : hidden);
        leakyRelu = leakyRelu == null ? 0.2 : leakyRelu;
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        batchNorm = batchNorm == null ? Boolean.FALSE : batchNorm;
        dropout = dropout == null ? 0.3 : dropout;
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
        spectralNorm = spectralNorm == null ? Boolean.FALSE : spectralNorm;
    }

    /** The most hidden layers a dense network may have. */
    static final int MAX_LAYERS = 64;

    static List<Integer> checkHidden(List<Integer> hidden) {
        return Checks.sizes("hidden", hidden, MAX_LAYERS, 65536, "layer sizes");
    }
}
