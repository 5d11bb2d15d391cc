package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Discriminator;
import dev.jgan.api.EpochOrder;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import dev.jgan.api.Losses;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.GeneratorFakes;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.TrainerOptions;
import dev.jgan.trainer.run.GanRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** {@code training.g_fakes}: with "reused", G's step trains on the fakes D's step was given, nothing else changes. */
class GeneratorFakesTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final long SEED = 5;

    private static GanConfig config(String type, GeneratorFakes fakes) throws Exception {
        String nets = type.equals("dense")
                ? "\"generator\": {\"type\": \"dense\", \"hidden\": [32, 64]},"
                  + "\"discriminator\": {\"type\": \"dense\", \"hidden\": [64, 32], \"batch_norm\": true}"
                : "\"generator\": {\"type\": \"dcgan\", \"filters\": [16, 8]},"
                  + "\"discriminator\": {\"type\": \"dcgan\", \"filters\": [8, 16]}";
        GanConfig c = TestSupport.config("{\"seed\": " + SEED + ", \"latent\": {\"size\": 16}, \"training\": "
                + "{\"batch_size\": 8, \"max_steps\": 1}, " + nets + "}");
        return c.withTraining(c.training().withGeneratorFakes(fakes));
    }

    /** Eight copies of one image: the data order of an epoch cannot change a batch. */
    private static ImageDataset sameImage() {
        INDArray one = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 1, MNIST.size()).muli(2).subi(1);
        return new ImageDataset("one image", MNIST, one.repeat(0, 8), null);
    }

    private record Nets(TrainableGenerator g, Discriminator d) {
        static Nets of(GanConfig c) throws Exception {
            return new Nets(GanRun.buildGenerator(c, NetworkRegistry.global(), MNIST),
                    GanRun.buildDiscriminator(c, NetworkRegistry.global(), MNIST));
        }
    }

    private static Nets trainOneIteration(GanConfig c) throws Exception {
        Nets n = Nets.of(c);
        AdversarialTrainer.from(c, n.g(), n.d()).train(sameImage());
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "dcgan"})
    void aReusedIterationIsDsStepThenGsStepOnTheSameFakes(String type) throws Exception {
        GanConfig c = config(type, GeneratorFakes.REUSED);
        Nets trained = trainOneIteration(c);

        // the definition, by hand: fakes from the step's noise; D's step on them; G's step through the new D on them
        Nets byHand = Nets.of(c);
        Random noise = Nd4j.getRandomFactory().getNewRandomInstance(SEED);
        noise.setSeed(EpochOrder.mix(SEED, 1));
        long engineSeed = EpochOrder.mix(SEED ^ 0x9E3779B97F4A7C15L, 1);
        byHand.g().stepHooks().beforeStep(1, engineSeed);
        byHand.d().stepHooks().beforeStep(1, engineSeed);
        INDArray fakes = byHand.g().forward(c.latent().sample(8, noise), true);
        AdversarialTrainer dOnly = new AdversarialTrainer(byHand.g(), byHand.d(), Losses.nonSaturating(), c.latent(),
                c.training(), SEED, TrainerOptions.from(c));
        dOnly.discriminatorStep(sameImage().images().reshape(8, 1, 28, 28), fakes);
        AdversarialLoss.Term onFake = Losses.nonSaturating().generator(byHand.d().forward(fakes, null, true));
        byHand.g().accumulate(byHand.d().inputGradient(onFake.gradient()));
        byHand.g().step();

        assertThat(trained.d().params().toFloatVector()).containsExactly(byHand.d().params().toFloatVector());
        assertThat(trained.g().params().toFloatVector()).containsExactly(byHand.g().params().toFloatVector());
        assertThat(trained.g().optimizerState().toFloatVector())
                .containsExactly(byHand.g().optimizerState().toFloatVector());
    }

    @Test
    void onlyGsStepChangesAndFreshStaysTheDefault() throws Exception {
        Nets fresh = trainOneIteration(config("dense", GeneratorFakes.FRESH));
        Nets reused = trainOneIteration(config("dense", GeneratorFakes.REUSED));

        assertThat(reused.d().params().toFloatVector()).as("D's step is the same")
                .containsExactly(fresh.d().params().toFloatVector());
        assertThat(reused.g().params().toFloatVector()).as("G's step saw other fakes")
                .isNotEqualTo(fresh.g().params().toFloatVector());
        assertThat(TestSupport.config("{\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"dense\"}}")
                .training().generatorFakes()).isEqualTo(GeneratorFakes.FRESH);
        assertThatThrownBy(() -> TestSupport.config("{\"training\": {\"g_fakes\": \"recycled\"}, "
                + "\"generator\": {\"type\": \"dense\"}, \"discriminator\": {\"type\": \"dense\"}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("training.g_fakes");
    }
}
