package dev.jgan.trainer.loop;

/**
 * Cumulative wall time of each phase of the adversarial loop, in nanoseconds (for benchmarks and profiling).
 *
 * @param data copying the batch out of the dataset
 * @param generate G's forward pass making the fakes for D's step
 * @param discriminator D's forward and backward passes on the real and fake batches and its optimizer step
 * @param generator G's step: fresh noise, G forward, D forward and input gradient, G backward and optimizer step
 */
public record PhaseTimes(long data, long generate, long discriminator, long generator) {

    /** No time yet. */
    public static final PhaseTimes ZERO = new PhaseTimes(0, 0, 0, 0);

    /** The sum of the phases. */
    public long total() {
        return data + generate + discriminator + generator;
    }

    /** These times plus the given ones. */
    PhaseTimes plus(long dataNanos, long generateNanos, long discriminatorNanos, long generatorNanos) {
        return new PhaseTimes(data + dataNanos, generate + generateNanos, discriminator + discriminatorNanos,
                generator + generatorNanos);
    }

    /** The time spent since {@code earlier}. */
    public PhaseTimes since(PhaseTimes earlier) {
        return new PhaseTimes(data - earlier.data, generate - earlier.generate, discriminator - earlier.discriminator,
                generator - earlier.generator);
    }
}
