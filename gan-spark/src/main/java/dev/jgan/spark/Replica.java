package dev.jgan.spark;

import dev.jgan.api.Discriminator;
import dev.jgan.api.EpochOrder;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.TrainingListener;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.TrainerOptions;
import dev.jgan.trainer.run.GanRun;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One replica of G and D on an executor, with its partition of the data in memory. Replicas are kept between
 * rounds (building DL4J networks and scaling the images costs more than a round of a small network), but every task
 * first overwrites the replica's whole state with the round's broadcast one, so a retried or moved task computes
 * the same result.
 */
final class Replica {

    private static final Map<String, Replica> CACHE = new ConcurrentHashMap<>();

    private final GanConfig config;
    private final TrainableGenerator generator;
    private final Discriminator discriminator;
    private final ImageDataset data;

    private Replica(GanConfig config, Shard shard) throws ConfigException {
        this.config = config;
        ConfigReader reader = new ConfigReader();
        this.data = shard.toDataset("partition " + shard.worker());
        this.generator = GanRun.buildGenerator(config, reader.registry(), shard.shape());
        this.discriminator = GanRun.buildDiscriminator(config, reader.registry(), shard.shape());
    }

    /** The replica of worker {@code shard.worker()} of run {@code run}, built on first use in this JVM. */
    static Replica of(String run, String configJson, Shard shard) throws ConfigException {
        String key = run + "/" + shard.worker();
        Replica r = CACHE.get(key);
        if (r == null) {
            r = new Replica(new ConfigReader().read(configJson, "config of " + run), shard);
            CACHE.put(key, r);
        }
        return r;
    }

    /** Forgets the replicas of {@code run} held in this JVM. */
    static void release(String run) {
        CACHE.keySet().removeIf(k -> k.startsWith(run + "/"));
    }

    /** The seed of worker {@code worker}'s noise and data order. */
    static long seed(long runSeed, int worker) {
        return EpochOrder.mix(runSeed ^ 0x3C6EF372FE94F82BL, worker);
    }

    /** Trains from {@code start} for up to {@code iterations} iterations, stopping at step {@code lastStep}. */
    synchronized ReplicaResult train(int worker, ReplicaState start, int iterations, long lastStep) {
        start.applyTo(generator, discriminator);
        TrainingConfig t = TrainerOptions.training(config);
        long until = Math.min(lastStep, start.step() + iterations);
        AdversarialTrainer trainer = AdversarialTrainer.from(config.withSeed(seed(config.seed(), worker))
                .withTraining(config.training().withLimits(Integer.MAX_VALUE / 2, until, 0)), generator, discriminator);
        if (start.average() != null) {
            trainer.restoreAveragedParams(Nd4j.createFromArray(start.average()));
        }
        int perIteration = t.batchSize() * t.discriminatorSteps();
        int perEpoch = data.size() / perIteration;
        if (perEpoch == 0) {
            throw new IllegalStateException("partition " + worker + " has " + data.size() + " images, fewer than one "
                    + "iteration needs (" + perIteration + ")");
        }
        trainer.restore(ReplicaState.trainerState(start.step(), data.size(), perIteration));
        double[] sums = new double[4];
        int[] steps = new int[1];
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                sums[0] += e.discriminatorLoss();
                sums[1] += e.generatorLoss();
                sums[2] += e.realScore();
                sums[3] += e.fakeScore();
                steps[0]++;
            }
        });
        long t0 = System.nanoTime();
        trainer.train(data);
        long nanos = System.nanoTime() - t0;
        ReplicaState end = new ReplicaState(trainer.state().step(), generator.params().toFloatVector(),
                generator.optimizerState().toFloatVector(), generator.steps(), discriminator.params().toFloatVector(),
                discriminator.optimizerState().toFloatVector(), discriminator.steps(),
                start.average() == null ? null : trainer.averagedParams().toFloatVector());
        return new ReplicaResult(worker, start.fingerprint(), end, steps[0], sums[0], sums[1], sums[2], sums[3],
                nanos);
    }
}
