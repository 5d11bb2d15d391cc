package dev.jgan.trainer.run;

import dev.jgan.api.BuildContext;
import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.NetworkConfig;

/**
 * Builds a config's networks from their registered types: G seeded with the run's seed, D with seed + 1, each with
 * its own optimizer settings; a provider's settings error names the config field. The learning rate and the kernels
 * are the config's whatever the provider set ({@link dev.jgan.api.Trainable#setLearningRate},
 * {@link dev.jgan.api.Trainable#useKernels}).
 */
public final class RunNetworks {

    private RunNetworks() {}

    /** Builds the generator the config names, for images of {@code image}. */
    public static TrainableGenerator generator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        NetworkProvider p = provider(registry, config.generator(), "generator");
        var ctx = new BuildContext(image, config.latent().size(), config.optimizers().generator(), config.seed(),
                config.conditional().numClasses());
        try {
            TrainableGenerator g = p.createGenerator(config.generator().spec(), ctx);
            g.setLearningRate(ctx.optimizer().learningRate());
            g.useKernels(config.engine().kernels());
            return g;
        } catch (InvalidConfigException e) {
            throw new ConfigException("config", "generator." + e.field(), "expected " + e.expected() + ", got "
                    + e.actual(), e);
        }
    }

    /** Builds the discriminator the config names, for images of {@code image}. */
    public static Discriminator discriminator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        NetworkProvider p = provider(registry, config.discriminator(), "discriminator");
        var ctx = new BuildContext(image, config.latent().size(), config.optimizers().discriminator(),
                config.seed() + 1, config.conditional().numClasses());
        try {
            Discriminator d = p.createDiscriminator(config.discriminator().spec(), ctx);
            d.setLearningRate(ctx.optimizer().learningRate());
            d.useKernels(config.engine().kernels());
            return d;
        } catch (InvalidConfigException e) {
            throw new ConfigException("config", "discriminator." + e.field(), "expected " + e.expected()
                    + ", got " + e.actual(), e);
        }
    }

    private static NetworkProvider provider(NetworkRegistry registry, NetworkConfig net, String role)
            throws ConfigException {
        return registry.find(net.type()).orElseThrow(() -> new ConfigException("config", role + ".type",
                "expected " + ConfigReader.expectedNetworkType(registry, net.type()) + ", got \"" + net.type() + "\"",
                null));
    }
}
