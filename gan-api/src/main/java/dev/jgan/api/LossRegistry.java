package dev.jgan.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Adversarial losses by the name a config's {@code loss.type} gives: the built-in {@link Losses} and any a program
 * registers, like network types in {@link NetworkRegistry}.
 *
 * <pre>{@code
 * LossRegistry losses = LossRegistry.builtIn().register("my_loss", MyLoss::new);
 * ConfigReader reader = new ConfigReader(NetworkRegistry.global(), losses);   // "loss": {"type": "my_loss"}
 * }</pre>
 */
public final class LossRegistry {

    private final Map<String, Supplier<AdversarialLoss>> custom = new LinkedHashMap<>();

    private LossRegistry() {}

    /** A registry of the built-in losses ({@link Losses#names()}); each call gives a new one. */
    public static LossRegistry builtIn() {
        return new LossRegistry();
    }

    /**
     * Registers a loss under {@code name} (lower case, digits, underscores); a new instance is made for every run.
     *
     * @throws IllegalArgumentException when the name is taken or malformed
     */
    public LossRegistry register(String name, Supplier<AdversarialLoss> loss) {
        Objects.requireNonNull(loss, "loss");
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("loss name must be lower case letters, digits and underscores, got "
                    + name);
        }
        if (contains(name)) {
            throw new IllegalArgumentException("a loss named " + name + " is already registered");
        }
        custom.put(name, loss);
        return this;
    }

    /** Whether {@code name} is a loss of this registry. */
    public boolean contains(String name) {
        return Losses.names().contains(name) || custom.containsKey(name);
    }

    /** The names, built-in ones first. */
    public List<String> names() {
        List<String> all = new ArrayList<>(Losses.names());
        all.addAll(custom.keySet());
        return all;
    }

    /**
     * The loss named {@code name} with one-sided label smoothing {@code smoothing} (0 for none; only the
     * {@link Losses#smoothable()} built-ins accept more).
     */
    public AdversarialLoss create(String name, double smoothing) {
        if (Losses.names().contains(name)) {
            return Losses.byName(name, smoothing);
        }
        Supplier<AdversarialLoss> loss = custom.get(name);
        if (loss == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "', expected one of " + names());
        }
        if (smoothing != 0) {
            throw new IllegalArgumentException("label smoothing applies to " + Losses.smoothable() + ", not to "
                    + name);
        }
        return loss.get();
    }
}
