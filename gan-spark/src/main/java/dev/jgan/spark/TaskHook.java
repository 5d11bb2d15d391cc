package dev.jgan.spark;

import java.io.Serializable;

/** Called at the start of every replica task, on the executor (for monitoring, or to inject faults in tests). */
@FunctionalInterface
public interface TaskHook extends Serializable {

    /** No-op. */
    TaskHook NONE = (round, worker, attempt) -> { };

    /**
     * @param round the averaging round (0-based)
     * @param worker the replica
     * @param attempt Spark's attempt number of this task (0 on the first try)
     */
    void beforeTask(int round, int worker, int attempt);
}
