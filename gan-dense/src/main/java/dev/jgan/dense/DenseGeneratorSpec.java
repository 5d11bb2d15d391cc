package dev.jgan.dense;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.util.List;

/**
 * Fully connected generator: latent → [dense → (batch norm) → LeakyReLU] per hidden size → dense(C·H·W) → tanh.
 *
 * @param hidden hidden layer sizes, default [256, 512, 1024]
 * @param leakyRelu negative slope of LeakyReLU, default 0.2
 * @param batchNorm batch norm after each hidden layer, default true
 * @param dropout probability of dropping a hidden unit, default 0
 */
public record DenseGeneratorSpec(List<Integer> hidden, double leakyRelu, boolean batchNorm, double dropout) {

    public static final DenseGeneratorSpec DEFAULT = new DenseGeneratorSpec(List.of(256, 512, 1024), 0.2, true, 0);

    public DenseGeneratorSpec {
        hidden = DenseDiscriminatorSpec.checkHidden(hidden);
        Checks.check(leakyRelu >= 0 && leakyRelu < 1, "leaky_relu", "a slope in [0, 1)", leakyRelu);
        Checks.check(dropout >= 0 && dropout < 1, "dropout", "a probability in [0, 1)", dropout);
    }

    @JsonCreator
    static DenseGeneratorSpec fromJson(@JsonProperty("hidden") List<Integer> hidden,
                                       @JsonProperty("leaky_relu") Double leakyRelu,
                                       @JsonProperty("batch_norm") Boolean batchNorm,
                                       @JsonProperty("dropout") Double dropout) {
        return new DenseGeneratorSpec(hidden == null ? DEFAULT.hidden : hidden,
                leakyRelu == null ? DEFAULT.leakyRelu : leakyRelu,
                batchNorm == null ? DEFAULT.batchNorm : batchNorm,
                dropout == null ? DEFAULT.dropout : dropout);
    }

    @JsonProperty("hidden") @Override public List<Integer> hidden() { return hidden; }
    @JsonProperty("leaky_relu") @Override public double leakyRelu() { return leakyRelu; }
    @JsonProperty("batch_norm") @Override public boolean batchNorm() { return batchNorm; }
    @JsonProperty("dropout") @Override public double dropout() { return dropout; }
}
