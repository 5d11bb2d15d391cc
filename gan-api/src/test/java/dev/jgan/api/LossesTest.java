package dev.jgan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {

    /** Logits away from the hinge's kinks at ±1. */
    private static final float[] LOGITS = {0.5f, 2f, -1.5f};

    private static INDArray logits() {
        return Nd4j.create(LOGITS, new long[] {3, 1});
    }

    // Expected values computed by hand: mean over the three logits of each formula in Losses' javadoc.
    @Test
    void nonSaturatingMatchesHandComputedValues() {
        AdversarialLoss l = Losses.nonSaturating();
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(0.7674727577, within(1e-6));
        assertThat(l.discriminatorFake(logits()).value()).isCloseTo(1.1008060911, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(0.7674727577, within(1e-6));
    }

    @Test
    void minimaxGeneratorIsNegatedFakeTerm() {
        AdversarialLoss l = Losses.minimax();
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(0.7674727577, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(-1.1008060911, within(1e-6));
    }

    @Test
    void leastSquaresMatchesHandComputedValues() {
        AdversarialLoss l = Losses.leastSquares();
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(1.25, within(1e-6));
        assertThat(l.discriminatorFake(logits()).value()).isCloseTo(1.0833333333, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(1.25, within(1e-6));
    }

    @Test
    void hingeMatchesHandComputedValues() {
        AdversarialLoss l = Losses.hinge();
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(1.0, within(1e-6));
        assertThat(l.discriminatorFake(logits()).value()).isCloseTo(1.5, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(-1 / 3.0, within(1e-6));
    }

    @Test
    void wassersteinIsTheMeanCriticScoreWithConstantGradients() {
        AdversarialLoss l = Losses.wasserstein();
        // mean logit = (0.5 + 2 - 1.5) / 3 = 1/3
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(-1 / 3.0, within(1e-6));
        assertThat(l.discriminatorFake(logits()).value()).isCloseTo(1 / 3.0, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(-1 / 3.0, within(1e-6));
        assertThat(l.discriminatorReal(logits()).gradient().toFloatVector()).containsOnly(-1 / 3f);
        assertThat(l.discriminatorFake(logits()).gradient().toFloatVector()).containsOnly(1 / 3f);
    }

    @Test
    void oneSidedLabelSmoothingChangesOnlyTheRealTerm() {
        AdversarialLoss l = Losses.byName("non_saturating", 0.1);
        // mean of 0.9 softplus(-l) + 0.1 softplus(l); gradient (sigmoid(l) - 0.9) / 3
        assertThat(l.discriminatorReal(logits()).value()).isCloseTo(0.8008060911, within(1e-6));
        assertThat(l.discriminatorReal(logits()).gradient().toDoubleVector())
                .containsExactly(new double[] {-0.0925135563, -0.0064009740, -0.2391914921}, within(1e-6));
        assertThat(l.discriminatorFake(logits()).value()).isCloseTo(1.1008060911, within(1e-6));
        assertThat(l.generator(logits()).value()).isCloseTo(0.7674727577, within(1e-6));
        // least squares: mean of (l - 0.9)^2 / 2
        assertThat(Losses.byName("least_squares", 0.1).discriminatorReal(logits()).value())
                .isCloseTo(1.1883333333, within(1e-6));
        assertThatThrownBy(() -> Losses.byName("hinge", 0.1)).hasMessageContaining("label smoothing");
        assertThatThrownBy(() -> Losses.byName("non_saturating", 0.6)).hasMessageContaining("[0, 0.5)");
    }

    @Test
    void nonSaturatingIsStableForHugeLogits() {
        INDArray big = Nd4j.create(new float[] {1000f, -1000f}, new long[] {2, 1});
        var t = Losses.nonSaturating().generator(big);
        assertThat(t.value()).isCloseTo(500.0, within(1e-6));
        assertThat(t.gradient().toFloatVector()).containsExactly(0f, -0.5f);
    }

    static Iterable<AdversarialLoss> losses() {
        var all = new java.util.ArrayList<>(Losses.names().stream().map(Losses::byName).toList());
        all.add(Losses.byName("non_saturating", 0.2));
        all.add(Losses.byName("least_squares", 0.2));
        return all;
    }

    @ParameterizedTest
    @MethodSource("losses")
    void gradientsMatchCentralDifferences(AdversarialLoss loss) {
        check(loss::discriminatorReal);
        check(loss::discriminatorFake);
        check(loss::generator);
    }

    private static void check(Function<INDArray, AdversarialLoss.Term> term) {
        float[] analytic = term.apply(logits()).gradient().toFloatVector();
        double h = 1e-3;
        for (int i = 0; i < LOGITS.length; i++) {
            float[] plus = LOGITS.clone();
            float[] minus = LOGITS.clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double numeric = (term.apply(Nd4j.create(plus, new long[] {3, 1})).value()
                    - term.apply(Nd4j.create(minus, new long[] {3, 1})).value()) / (2 * h);
            assertThat((double) analytic[i]).as("dL/dlogit[%d]", i).isCloseTo(numeric, within(1e-3));
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Losses.byName("wgan")).hasMessageContaining("non_saturating");
    }
}
