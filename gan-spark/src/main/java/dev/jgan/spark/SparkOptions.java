package dev.jgan.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.io.Serializable;

/**
 * The {@code "spark"} section of a run config: how training is spread over Spark tasks.
 *
 * @param workers replicas of G and D, one Spark task (and one data partition) each (default 2)
 * @param averagingEvery iterations each replica trains on its partition between two averagings of the parameters
 *     and optimizer state of G and D (default 4: on two 1-core workers, samples as good per image seen as one
 *     process's at 1.2x its images/s; 16 was 1.5x as fast with a 40 % worse FD; docs/results/distributed.md)
 * @param checkpointEveryRounds a checkpoint every this many averaging rounds (default 10; the last round always
 *     writes one)
 * @param checkpointEverySeconds also a checkpoint after the first round that ends this many seconds after the
 *     previous one, so that a driver crash loses at most about this much work (default 300; 0: by rounds only)
 * @param roundTimeoutSeconds the longest a round may wait for its tasks before the run stops with a checkpoint and
 *     a message (executors lost, or none with the cores a task asks for); default 1800, 0: no limit
 * @param data where the IDX files are, as a Hadoop path ({@code hdfs://…}, {@code s3a://…}, {@code file:/…});
 *     null reads {@code data.location} of the config
 */
public record SparkOptions(
        @JsonProperty("workers") Integer workers,
        @JsonProperty("averaging_every") Integer averagingEvery,
        @JsonProperty("checkpoint_every_rounds") Integer checkpointEveryRounds,
        @JsonProperty("checkpoint_every_seconds") Integer checkpointEverySeconds,
        @JsonProperty("round_timeout_seconds") Integer roundTimeoutSeconds,
        @JsonProperty("data") String data) implements Serializable {

    /** Every setting at its default. */
    public static final SparkOptions DEFAULT = new SparkOptions(null, null, null, null, null, null);

    /** Validates the settings and fills in the defaults of null ones. */
    public SparkOptions {
        workers = workers == null ? 2 : workers;
        averagingEvery = averagingEvery == null ? 4 : averagingEvery;
        checkpointEveryRounds = checkpointEveryRounds == null ? 10 : checkpointEveryRounds;
        checkpointEverySeconds = checkpointEverySeconds == null ? 300 : checkpointEverySeconds;
        roundTimeoutSeconds = roundTimeoutSeconds == null ? 1800 : roundTimeoutSeconds;
        Checks.check(roundTimeoutSeconds >= 0, "round_timeout_seconds", "0 (no limit) or a number of seconds",
                roundTimeoutSeconds);
        Checks.check(checkpointEverySeconds >= 0, "checkpoint_every_seconds", "0 (off) or a number of seconds",
                checkpointEverySeconds);
        Checks.check(workers >= 1 && workers <= 10_000, "workers", "an integer in [1, 10000]", workers);
        Checks.check(averagingEvery >= 1 && averagingEvery <= 1_000_000, "averaging_every",
                "an integer in [1, 1000000]", averagingEvery);
        Checks.check(checkpointEveryRounds >= 1, "checkpoint_every_rounds", "a positive integer",
                checkpointEveryRounds);
    }

    /** These settings with the IDX files at {@code location} (a Hadoop path or URI). */
    public SparkOptions withData(String location) {
        return new SparkOptions(workers, averagingEvery, checkpointEveryRounds, checkpointEverySeconds,
                roundTimeoutSeconds, location);
    }
}
