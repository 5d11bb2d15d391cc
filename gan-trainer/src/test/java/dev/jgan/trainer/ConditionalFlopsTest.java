package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageShape;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jFlops;
import org.junit.jupiter.api.Test;

/** A conditional D's FLOPs count its label input as its layers compute it. */
class ConditionalFlopsTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    private static long flops(String discriminator, int classes) throws Exception {
        GanConfig cfg = TestSupport.config("""
                {"generator": {"type": "dense"}, "discriminator": %s, "conditional": {"num_classes": %d}}
                """.formatted(discriminator, classes));
        ConfigReader reader = new ConfigReader();
        return Dl4jFlops.forwardFlopsPerImage(
                (Dl4jDiscriminator) GanRun.buildDiscriminator(cfg, reader.registry(), MNIST));
    }

    @Test
    void labelPlanesOfAConvolutionalDAreABiasAndCostNoMultiplyAdds() throws Exception {
        String d = "{\"type\": \"dcgan\", \"filters\": [8, 16]}";
        long plain = flops(d, 0);
        // conv 1->8 (k4, s2: 14x14 out), conv 8->16 (7x7 out), dense 784->1
        assertThat(plain).isEqualTo(2L * (14 * 14 * 8 * 16 + 7 * 7 * 8 * 16 * 16 + 16 * 7 * 7));
        assertThat(flops(d, 30)).isEqualTo(plain);
    }

    @Test
    void labelColumnsOfADenseDAreMultiplied() throws Exception {
        String d = "{\"type\": \"dense\", \"hidden\": [32]}";
        assertThat(flops(d, 0)).isEqualTo(2L * (784 * 32 + 32));
        assertThat(flops(d, 10)).isEqualTo(2L * ((784 + 10) * 32 + 32));
    }
}
