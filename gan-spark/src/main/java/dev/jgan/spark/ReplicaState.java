package dev.jgan.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import dev.jgan.api.Discriminator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.loop.TrainerState;
import java.util.function.Function;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything a replica of G and D needs to train on from a given step, and what it hands back: parameters,
 * optimizer state and optimizer step counts of both networks, and the EMA of G's weights (null when off).
 *
 * @param step iterations done (the same on every replica)
 * @param generator G's parameters
 * @param generatorOptimizer G's optimizer state
 * @param generatorSteps G's optimizer steps
 * @param discriminator D's parameters
 * @param discriminatorOptimizer D's optimizer state
 * @param discriminatorSteps D's optimizer steps
 * @param average the EMA of G's parameters, or null
 */
record ReplicaState(long step, float[] generator, float[] generatorOptimizer, long generatorSteps,
                    float[] discriminator, float[] discriminatorOptimizer, long discriminatorSteps, float[] average)
        implements Serializable {

    /** Sets {@code g}'s and {@code d}'s parameters, optimizer state and step counts to this state's. */
    void applyTo(TrainableGenerator g, Discriminator d) {
        g.setParams(Nd4j.createFromArray(generator));
        g.setOptimizerState(Nd4j.createFromArray(generatorOptimizer), generatorSteps);
        d.setParams(Nd4j.createFromArray(discriminator));
        d.setOptimizerState(Nd4j.createFromArray(discriminatorOptimizer),
                discriminatorSteps);
    }

    /** The single-process trainer's counters at {@code step} on a partition of {@code images} images. */
    static TrainerState trainerState(long step, int images, int perIteration) {
        int perEpoch = images / perIteration;
        return new TrainerState(step, (int) (step / perEpoch) + 1, (int) (step % perEpoch),
                step * perIteration, 0, 0, 0, 0, 0, 0);
    }

    /** Bytes of the arrays (what crosses the network, before serialisation overhead). */
    long bytes() {
        return 4L * (generator.length + generatorOptimizer.length + discriminator.length
                + discriminatorOptimizer.length + (average == null ? 0 : average.length));
    }

    /** A hash of every value, to compare replicas bit for bit. */
    int fingerprint() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(generator), Arrays.hashCode(generatorOptimizer),
                Arrays.hashCode(discriminator), Arrays.hashCode(discriminatorOptimizer),
                Arrays.hashCode(average), Long.hashCode(generatorSteps), Long.hashCode(discriminatorSteps)});
    }

    /**
     * The mean of {@code states} (in the order given, so that the result does not depend on which task finished
     * first): parameters, optimizer moments and EMA averaged element-wise, as DL4J's parameter-averaging training
     * master averages parameters and updater state. Step counts are equal on every replica.
     */
    static ReplicaState mean(List<ReplicaState> states) {
        ReplicaState first = states.get(0);
        for (ReplicaState s : states) {
            if (s.step != first.step || s.generatorSteps != first.generatorSteps
                    || s.discriminatorSteps != first.discriminatorSteps) {
                throw new IllegalStateException("replicas out of step: " + s.step + " vs " + first.step);
            }
        }
        return new ReplicaState(first.step, mean(states, ReplicaState::generator),
                mean(states, ReplicaState::generatorOptimizer), first.generatorSteps,
                mean(states, ReplicaState::discriminator), mean(states, ReplicaState::discriminatorOptimizer),
                first.discriminatorSteps, first.average == null ? null : mean(states, ReplicaState::average));
    }

    private static float[] mean(List<ReplicaState> states, Function<ReplicaState, float[]> part) {
        int n = part.apply(states.get(0)).length;
        double[] sum = new double[n];
        for (ReplicaState s : states) {
            float[] v = part.apply(s);
            for (int i = 0; i < n; i++) {
                sum[i] += v[i];
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sum[i] / states.size());
        }
        return out;
    }
}
