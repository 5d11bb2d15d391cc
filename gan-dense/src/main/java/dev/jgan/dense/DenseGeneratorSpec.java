package dev.jgan.dense;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * Fully connected generator: latent → [dense → (batch norm) → LeakyReLU] per hidden size → dense(C·H·W) → tanh.
 * A null component takes its default.
 *
 * @param hidden hidden layer sizes, default [256, 512, 1024]
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after each hidden layer, default true
 * @param dropout probability of dropping a hidden unit, default 0
 */
public record DenseGeneratorSpec(
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("leaky_relu") Double leakyRelu,
        @JsonProperty("batch_norm") Boolean batchNorm,
        @JsonProperty("dropout") Double dropout) {

    public static final DenseGeneratorSpec DEFAULT = new DenseGeneratorSpec(null, null, null, null);

    public DenseGeneratorSpec {
        hidden = DenseDiscriminatorSpec.checkHidden(hidden == null ? List.of(256, 512, 1024) : hidden);
        leakyRelu = leakyRelu == null ? 0.2 : leakyRelu;
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        batchNorm = batchNorm == null ? Boolean.TRUE : batchNorm;
        dropout = dropout == null ? 0.0 : dropout;
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
    }
}
