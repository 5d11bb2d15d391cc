package dev.jgan.api;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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

    /** The provider of {@code type}, if registered. */
    public Optional<NetworkProvider> find(String type) {
        return Optional.ofNullable(providers.get(type));
    }

    /** All registered type names, sorted. */
    public Set<String> types() {
        return new TreeSet<>(providers.keySet());
    }
}
