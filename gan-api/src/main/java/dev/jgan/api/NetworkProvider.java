package dev.jgan.api;

/**
 * Makes generators and/or discriminators of one registered {@link #type()}. Register an implementation with
 * {@link NetworkRegistry#register} or list it in {@code META-INF/services/dev.jgan.api.NetworkProvider}.
 *
 * <p>The JSON object naming this type (without its {@code "type"} field) is bound to the spec record class that
 * {@link #generatorSpec()} or {@link #discriminatorSpec()} returns; its constructor validates and fills defaults.
 */
public interface NetworkProvider {

    /** Short stable name used in configs, for example {@code "dense"}. */
    String type();

    /** Spec class for generators of this type, or null if it makes none. */
    default Class<? extends Record> generatorSpec() {
        return null;
    }

    /** Spec class for discriminators of this type, or null if it makes none. */
    default Class<? extends Record> discriminatorSpec() {
        return null;
    }

    /** Builds a generator from a spec of class {@link #generatorSpec()}. */
    default TrainableGenerator createGenerator(Record spec, BuildContext context) {
        throw new IllegalStateException("network type '" + type() + "' provides no generator");
    }

    /** Builds a discriminator from a spec of class {@link #discriminatorSpec()}. */
    default Discriminator createDiscriminator(Record spec, BuildContext context) {
        throw new IllegalStateException("network type '" + type() + "' provides no discriminator");
    }
}
