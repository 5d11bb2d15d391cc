package dev.jgan.api;

/**
 * What the engine behind a network needs around each training step, so that an engine-neutral trainer need not
 * know it: for example seeding the random generator the engine's layers draw from on their own (DL4J's dropout) and
 * reclaiming native memory. A trainer calls the hooks of its networks, each distinct instance once per step.
 */
public interface StepHooks {

    /** Hooks that do nothing. */
    StepHooks NONE = new StepHooks() {};

    /**
     * Before step {@code step}: {@code seed} (a function of the run's seed and the step) seeds every random draw
     * the engine makes by itself in this step, so that runs repeat and resume exactly.
     */
    default void beforeStep(long step, long seed) {}

    /** After each step. */
    default void afterStep(long step) {}
}
