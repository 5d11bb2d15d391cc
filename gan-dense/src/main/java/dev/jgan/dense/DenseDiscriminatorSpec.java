package dev.jgan.dense;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * Fully connected discriminator: image → [dense → (batch norm) → LeakyReLU → dropout] per hidden size → one logit.
 *
 * @param hidden hidden layer sizes, default [512, 256]
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after each hidden layer, default false
 * @param dropout probability of dropping a hidden unit, default 0.3
 * @param spectralNorm spectral normalisation of every weight matrix, default false
 */
public record DenseDiscriminatorSpec(List<Integer> hidden, double leakyRelu, boolean batchNorm, double dropout,
                                     boolean spectralNorm) {

    public static final DenseDiscriminatorSpec DEFAULT = new DenseDiscriminatorSpec(List.of(512, 256), 0.2, false,
            0.3, false);

    public DenseDiscriminatorSpec {
        hidden = checkHidden(hidden);
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
    }

    static List<Integer> checkHidden(List<Integer> hidden) {
        Checks.check(hidden != null && !hidden.isEmpty(), "hidden", "a non-empty list of layer sizes", hidden);
        for (Integer h : hidden) {
            Checks.check(h != null && h >= 1, "hidden", "layer sizes >= 1", hidden);
        }
        return List.copyOf(hidden);
    }

    @JsonCreator
    static DenseDiscriminatorSpec fromJson(@JsonProperty("hidden") List<Integer> hidden,
                                           @JsonProperty("leaky_relu") Double leakyRelu,
                                           @JsonProperty("batch_norm") Boolean batchNorm,
                                           @JsonProperty("dropout") Double dropout,
                                           @JsonProperty("spectral_norm") Boolean spectralNorm) {
        return new DenseDiscriminatorSpec(hidden == null ? DEFAULT.hidden : hidden,
                leakyRelu == null ? DEFAULT.leakyRelu : leakyRelu,
                batchNorm == null ? DEFAULT.batchNorm : batchNorm,
                dropout == null ? DEFAULT.dropout : dropout,
                spectralNorm == null ? DEFAULT.spectralNorm : spectralNorm);
    }

    @JsonProperty("hidden") @Override public List<Integer> hidden() { return hidden; }
    @JsonProperty("leaky_relu") @Override public double leakyRelu() { return leakyRelu; }
    @JsonProperty("batch_norm") @Override public boolean batchNorm() { return batchNorm; }
    @JsonProperty("dropout") @Override public double dropout() { return dropout; }
    @JsonProperty("spectral_norm") @Override public boolean spectralNorm() { return spectralNorm; }
}
