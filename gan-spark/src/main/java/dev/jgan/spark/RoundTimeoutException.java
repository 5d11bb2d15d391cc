package dev.jgan.spark;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.JavaFutureAction;

/** A round whose tasks did not all finish in time: executors lost, or none ever started. */
public final class RoundTimeoutException extends RuntimeException {

    RoundTimeoutException(String message) {
        super(message);
    }

    /** The round's results, or this exception (the job cancelled) after {@code seconds} (0: no limit). */
    static <T> List<T> await(JavaFutureAction<List<T>> job, int round, int seconds) {
        try {
            return seconds == 0 ? job.get() : job.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            job.cancel(true);
            throw new RoundTimeoutException("round " + round + ": the executors returned no result within " + seconds
                    + " s (spark.round_timeout_seconds): executors lost, or none has the cores a task asks for");
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for round " + round, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
