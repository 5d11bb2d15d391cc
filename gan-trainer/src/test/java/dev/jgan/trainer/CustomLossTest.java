package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.LossRegistry;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A loss registered by name is chosen by a config's loss.type and used by the run, like a network type. */
class CustomLossTest {

    /** Least squares with targets ±1 (LSGAN's "-1-1-0" variant), counting its calls. */
    static final class SymmetricLeastSquares implements AdversarialLoss {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public String name() {
            return "symmetric_least_squares";
        }

        private Term toward(INDArray logits, double target) {
            CALLS.incrementAndGet();
            INDArray diff = logits.sub(target);
            double n = logits.length();
            return new Term(0.5 * Transforms.pow(diff, 2).sumNumber().doubleValue() / n, diff.div(n));
        }

        @Override
        public Term discriminatorReal(INDArray realLogits) {
            return toward(realLogits, 1);
        }

        @Override
        public Term discriminatorFake(INDArray fakeLogits) {
            return toward(fakeLogits, -1);
        }

        @Override
        public Term generator(INDArray fakeLogits) {
            return toward(fakeLogits, 1);
        }
    }

    @Test
    void aRegisteredLossIsNamedInJsonAndTrainsTheRun(@TempDir Path tmp) throws Exception {
        LossRegistry losses = LossRegistry.builtIn().register("symmetric_least_squares", SymmetricLeastSquares::new);
        ConfigReader reader = new ConfigReader(NetworkRegistry.global(), losses);
        var config = reader.read("""
                {"seed": 5, "data": {"limit": 128}, "latent": {"size": 8},
                 "generator": {"type": "dense", "hidden": [16]},
                 "discriminator": {"type": "dense", "hidden": [16]},
                 "loss": {"type": "symmetric_least_squares"},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 4, "grid_size": 4},
                 "metrics": {"at_end": false},
                 "output": {"directory": "%s"}}
                """.formatted(tmp.toString().replace('\\', '/')), "custom-loss.json");
        SymmetricLeastSquares.CALLS.set(0);

        GanRun.Result result = new GanRun(config, "custom-loss", reader).run();

        assertThat(result.summary().steps()).isEqualTo(4);
        assertThat(SymmetricLeastSquares.CALLS.get()).as("D real + D fake + G per step").isEqualTo(4 * 3);
        assertThat(Files.readString(result.directory().resolve("config.json")))
                .contains("\"type\" : \"symmetric_least_squares\"");

        assertThatThrownBy(() -> new ConfigReader().read("""
                {"generator": {"type": "dense"}, "discriminator": {"type": "dense"},
                 "loss": {"type": "symmetric_least_squares"}}""", "c.json"))
                .as("another reader does not know it").isInstanceOf(ConfigException.class)
                .hasMessageContaining("loss.type: expected one of [non_saturating");
        assertThatThrownBy(() -> reader.read("""
                {"generator": {"type": "dense"}, "discriminator": {"type": "dense"},
                 "loss": {"type": "symmetric_least_squares", "label_smoothing": 0.1}}""", "c.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("label_smoothing");
        assertThatThrownBy(() -> losses.register("hinge", SymmetricLeastSquares::new))
                .hasMessageContaining("already registered");
    }
}
