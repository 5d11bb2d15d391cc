package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.TrainerOptions;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.Losses;
import dev.jgan.api.NetworkRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** D's real and fake batches in one pass give the step two separate passes give, when D's samples are independent. */
class FusedRealFakeTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    private static GanConfig config(String discriminator) throws Exception {
        return TestSupport.config("{\"latent\": {\"size\": 16}, \"generator\": {\"type\": \"dense\", \"hidden\": [32]},"
                + "\"discriminator\": " + discriminator + "}");
    }

    private static AdversarialTrainer trainer(GanConfig c, boolean fuse) throws ConfigException {
        return new AdversarialTrainer(GanRun.buildGenerator(c, NetworkRegistry.global(), MNIST),
                GanRun.buildDiscriminator(c, NetworkRegistry.global(), MNIST), Losses.nonSaturating(), c.latent(),
                c.training(), 3, TrainerOptions.NONE.with(fuse ? TrainerOptions.RealFakePasses.FUSED_WHEN_INDEPENDENT
                        : TrainerOptions.RealFakePasses.SEPARATE));
    }

    private static INDArray images(long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), 8, 1, 28, 28).muli(2).subi(1);
    }

    @Test
    void fusedDiscriminatorStepEqualsTwoPasses() throws Exception {
        GanConfig c = config("{\"type\": \"dense\", \"hidden\": [64, 32], \"dropout\": 0}");
        AdversarialTrainer fused = trainer(c, true);
        AdversarialTrainer separate = trainer(c, false);
        assertThat(fused.discriminator().samplesIndependent()).isTrue();
        assertThat(fused.discriminator().params()).isEqualTo(separate.discriminator().params());
        for (int step = 0; step < 3; step++) {
            INDArray real = images(10 + step);
            INDArray fake = images(20 + step);
            var a = fused.discriminatorStep(real, fake);
            var b = separate.discriminatorStep(real, fake);
            assertThat(a.loss()).isCloseTo(b.loss(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(a.realScore()).isCloseTo(b.realScore(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(a.fakeScore()).isCloseTo(b.fakeScore(), org.assertj.core.data.Offset.offset(1e-6));
            INDArray pa = fused.discriminator().params();
            INDArray pb = separate.discriminator().params();
            assertThat(pa.sub(pb).amaxNumber().doubleValue()).isLessThan(1e-5 * pb.amaxNumber().doubleValue());
            assertThat(fused.discriminator().optimizerState().sub(separate.discriminator().optimizerState())
                    .amaxNumber().doubleValue()).isLessThan(1e-6);
        }
    }

    @Test
    void batchNormalisationMakesSamplesDependent() throws Exception {
        Discriminator withDropout = GanRun.buildDiscriminator(
                config("{\"type\": \"dense\", \"hidden\": [64], \"dropout\": 0.3}"), NetworkRegistry.global(), MNIST);
        Discriminator denseNorm = GanRun.buildDiscriminator(
                config("{\"type\": \"dense\", \"hidden\": [64, 32], \"batch_norm\": true}"), NetworkRegistry.global(),
                MNIST);
        Discriminator dcgan = GanRun.buildDiscriminator(config("{\"type\": \"dcgan\", \"filters\": [8, 16]}"),
                NetworkRegistry.global(), MNIST);
        Discriminator dcganPlain = GanRun.buildDiscriminator(
                config("{\"type\": \"dcgan\", \"filters\": [8, 16], \"batch_norm\": false}"), NetworkRegistry.global(),
                MNIST);
        assertThat(withDropout.samplesIndependent()).isTrue();
        assertThat(denseNorm.samplesIndependent()).isFalse();
        assertThat(dcgan.samplesIndependent()).isFalse();
        assertThat(dcganPlain.samplesIndependent()).isTrue();
    }
}
