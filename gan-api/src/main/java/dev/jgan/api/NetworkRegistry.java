package dev.jgan.api;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.function.Function;

/**
 * Network types by name: those found with {@link ServiceLoader} plus those registered explicitly. Configs can name
 * only registered types, so a config file cannot instantiate arbitrary classes.
 */
public final class NetworkRegistry {

    private static final NetworkRegistry GLOBAL = new NetworkRegistry();

    private final Map<String, NetworkProvider> providers = new ConcurrentHashMap<>();

    /** An empty registry. */
    public NetworkRegistry() {}

    /** The process-wide registry, filled from the class path on first use. */
    public static NetworkRegistry global() {
        GLOBAL.loadServices(NetworkRegistry.class.getClassLoader());
        return GLOBAL;
    }

    /** Adds every {@link NetworkProvider} listed as a service on {@code loader}'s class path. */
    public NetworkRegistry loadServices(ClassLoader loader) {
        for (NetworkProvider p : ServiceLoader.load(NetworkProvider.class, loader)) {
            providers.putIfAbsent(p.type(), p);
        }
        return this;
    }

    /** Registers {@code provider} under its type name, replacing any earlier one of that name. */
    public NetworkRegistry register(NetworkProvider provider) {
        String type = provider.type();
        if (type == null || !type.matches("[a-z][a-z0-9_\\-]*")) {
            throw new IllegalArgumentException("network type names are lower-case words, got '" + type + "'");
        }
        providers.put(type, provider);
        return this;
    }

    /** The settings of a type registered from a function: none (a config names only its {@code "type"}). */
    public record NoOptions() {}

    /**
     * Registers a generator type built by {@code build} from the build context (latent size, image shape, optimizer
     * settings, seed, classes), with no settings of its own; a discriminator registered under the same name is
     * kept. For example:
     * {@code registry.registerGenerator("mine", ctx -> new Dl4jGenerator("mine", myNetwork(ctx), ctx.latentSize(),
     * ctx.image()))}.
     */
    public NetworkRegistry registerGenerator(String type,
                                             Function<BuildContext, TrainableGenerator> build) {
        Functions f = providers.get(type) instanceof Functions old ? old : new Functions(type, null, null);
        return register(new Functions(type, Objects.requireNonNull(build, "build"), f.discriminator));
    }

    /** As {@link #registerGenerator}, for a discriminator type. */
    public NetworkRegistry registerDiscriminator(String type,
                                                 Function<BuildContext, Discriminator> build) {
        Functions f = providers.get(type) instanceof Functions old ? old : new Functions(type, null, null);
        return register(new Functions(type, f.generator, Objects.requireNonNull(build, "build")));
    }

    /** A provider made of functions from the build context. */
    private record Functions(String type, Function<BuildContext, TrainableGenerator> generator,
                             Function<BuildContext, Discriminator> discriminator)
            implements NetworkProvider {

        @Override
        public Class<? extends Record> generatorSpec() {
            return generator == null ? null : NoOptions.class;
        }

        @Override
        public Class<? extends Record> discriminatorSpec() {
            return discriminator == null ? null : NoOptions.class;
        }

        @Override
        public TrainableGenerator createGenerator(Record spec, BuildContext context) {
            if (generator == null) {
                return NetworkProvider.super.createGenerator(spec, context);
            }
            return generator.apply(context);
        }

        @Override
        public Discriminator createDiscriminator(Record spec, BuildContext context) {
            if (discriminator == null) {
                return NetworkProvider.super.createDiscriminator(spec, context);
            }
            return discriminator.apply(context);
        }
    }

    /** The provider of {@code type}, if registered. */
    public Optional<NetworkProvider> find(String type) {
        return Optional.ofNullable(providers.get(type));
    }

    /** All registered type names, sorted. */
    public Set<String> types() {
        return new TreeSet<>(providers.keySet());
    }
}
