package dev.jgan.api;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network the adversarial loop trains: backward from an external gradient, optimizer step, state to resume.
 *
 * <p>Parameter gradients from successive {@link #backward} calls add up until {@link #step()} applies them with the
 * network's own optimizer. {@link #inputGradient} propagates an error to the input without touching parameters,
 * optimizer state or the pending gradient: it is how a generator is trained through a frozen discriminator.
 */
public interface Trainable extends Network {

    /**
     * Back-propagates {@code outputGradient} (dLoss/dOutput of the last training forward pass, already averaged over
     * the batch), adds the parameter gradient to the pending one and returns dLoss/dInput.
     */
    INDArray backward(INDArray outputGradient);

    /**
     * Like {@link #backward} for the parameter gradient, for callers that do not need dLoss/dInput (a discriminator
     * training on data): implementations may skip computing it.
     */
    default void accumulate(INDArray outputGradient) {
        backward(outputGradient);
    }

    /** dLoss/dInput of the last training forward pass; parameters, optimizer state and pending gradient unchanged. */
    INDArray inputGradient(INDArray outputGradient);

    /** Applies the pending gradient with this network's optimizer and clears it. */
    void step();

    /**
     * Told by the trainer after each {@link #step()}: the loss that step lowered. Engines pass it on to their own
     * listeners (DL4J's {@code TrainingListener}s attached to the wrapped network hear {@code iterationDone} with it
     * as the score); by default nothing happens.
     */
    default void stepDone(double loss) {}

    /**
     * Sets the optimizer's learning rate as configured, the rate that {@link #setLearningRateFactor} multiplies. The
     * run calls it with the config's rate once a provider has built the network, so the config owns the rate
     * whatever rate the provider set.
     */
    void setLearningRate(double rate);

    /**
     * Computes the training passes and optimizer steps with {@code kernels} from the next pass on (default
     * {@link Kernels#FAST}); an engine with one code path ignores it. The run calls it with the config's choice once
     * a provider has built the network. Not while a gradient is pending.
     */
    default void useKernels(Kernels kernels) {}

    /** Multiplies the optimizer's learning rate by {@code factor} (for example after a divergence). */
    void scaleLearningRate(double factor);

    /**
     * From the next step on, trains with the optimizer's learning rate times {@code factor} (in [0, 1], for a
     * schedule): the rate is {@code factor} × the rate as configured and {@link #scaleLearningRate scaled}, not
     * multiplied into it, so {@code factor} 1 restores it and setting the same factor twice changes nothing.
     */
    void setLearningRateFactor(double factor);

    /**
     * Moves {@code average} (a flat vector laid out as {@link #params()} gives the parameters θ) toward θ: {@code
     * average ← decay·average + (1 − decay)·θ}, each product rounded to the array's precision before the sum;
     * with {@code decay} 0 an exact copy of θ. By default through {@link #params()} and three array operations;
     * an engine may do it in one pass without copying θ, with the same result.
     */
    default void averageParamsInto(INDArray average, double decay) {
        if (decay == 0) {
            average.assign(params());
        } else {
            average.muli(decay).addi(params().muli(1 - decay));
        }
    }

    /** Replaces all parameters with {@code flat} (same length as {@link #params()}), for example averaged ones. */
    void setParams(INDArray flat);

    /** A copy of the optimizer's state (for example Adam's moments) as one flat vector; empty if stateless. */
    INDArray optimizerState();

    /**
     * Replaces the optimizer's state with {@code state} (as {@link #optimizerState()} gives it, for example
     * averaged over replicas) and its step count with {@code steps}; parameters unchanged.
     */
    void setOptimizerState(INDArray state, long steps);

    /** Number of optimizer steps taken so far. */
    long steps();

    /** What this network's engine needs around each training step (default: nothing). */
    default StepHooks stepHooks() {
        return StepHooks.NONE;
    }

    /**
     * Replaces this network's parameters, optimizer state and step count with those {@link #save saved} in
     * {@code file} by a network of the same architecture (to resume training).
     */
    void restore(Path file) throws IOException;
}
