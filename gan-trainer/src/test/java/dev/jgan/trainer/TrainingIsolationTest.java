package dev.jgan.trainer;

import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.Losses;
import dev.jgan.api.NetworkRegistry;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The G step must not touch D, and the D step must not touch G: parameters and optimizer state, bit for bit. */
class TrainingIsolationTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    private AdversarialTrainer trainer(String type) throws Exception {
        String nets = type.equals("dense")
                ? "\"generator\": {\"type\": \"dense\", \"hidden\": [32, 64]},"
                  + "\"discriminator\": {\"type\": \"dense\", \"hidden\": [64, 32], \"batch_norm\": true}"
                : "\"generator\": {\"type\": \"dcgan\", \"filters\": [16, 8]},"
                  + "\"discriminator\": {\"type\": \"dcgan\", \"filters\": [8, 16]}";
        GanConfig c = TestSupport.config("{\"latent\": {\"size\": 16}, " + nets + "}");
        TrainableGenerator g = GanRun.buildGenerator(c, NetworkRegistry.global(), MNIST);
        Discriminator d = GanRun.buildDiscriminator(c, NetworkRegistry.global(), MNIST);
        AdversarialTrainer t = new AdversarialTrainer(g, d, Losses.nonSaturating(), c.latent(), c.training(), 3);
        // One round first, so that both optimizers hold non-zero state and batch-norm statistics have moved.
        t.discriminatorStep(realBatch());
        t.generatorStep(8);
        return t;
    }

    private static INDArray realBatch() {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(11), 8, 1, 28, 28).muli(2).subi(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "dcgan"})
    void generatorStepLeavesDiscriminatorBitIdentical(String type) throws Exception {
        AdversarialTrainer t = trainer(type);
        Discriminator d = t.discriminator();
        float[] dParams = d.params().toFloatVector();
        float[] dState = d.optimizerState().toFloatVector();
        long dSteps = d.steps();
        float[] gParams = t.generator().params().toFloatVector();

        t.generatorStep(8);

        assertThat(dState).as("D's optimizer state holds Adam moments").isNotEmpty();
        assertThat(Arrays.equals(d.params().toFloatVector(), dParams)).as("D parameters unchanged").isTrue();
        assertThat(Arrays.equals(d.optimizerState().toFloatVector(), dState)).as("D Adam state unchanged").isTrue();
        assertThat(d.steps()).isEqualTo(dSteps);
        assertThat(Arrays.equals(t.generator().params().toFloatVector(), gParams)).as("G was updated").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "dcgan"})
    void discriminatorStepLeavesGeneratorBitIdentical(String type) throws Exception {
        AdversarialTrainer t = trainer(type);
        TrainableGenerator g = t.generator();
        float[] gParams = g.params().toFloatVector();
        float[] gState = g.optimizerState().toFloatVector();
        long gSteps = g.steps();
        float[] dParams = t.discriminator().params().toFloatVector();

        t.discriminatorStep(realBatch());

        assertThat(Arrays.equals(g.params().toFloatVector(), gParams)).as("G parameters unchanged").isTrue();
        assertThat(Arrays.equals(g.optimizerState().toFloatVector(), gState)).as("G Adam state unchanged").isTrue();
        assertThat(g.steps()).isEqualTo(gSteps);
        assertThat(Arrays.equals(t.discriminator().params().toFloatVector(), dParams)).as("D was updated")
                .isFalse();
    }
}
