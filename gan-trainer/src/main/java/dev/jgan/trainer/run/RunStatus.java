package dev.jgan.trainer.run;

import java.util.Locale;

/** How a run ended. */
public enum RunStatus {
    /** Trained to its planned end: all epochs, {@code max_steps} or {@code max_seconds}. */
    FINISHED,
    /** Stopped early on request (Ctrl-C, {@link GanRun#requestStop()}); its checkpoint resumes it. */
    STOPPED,
    /** A loss stopped being finite and the divergence policy stopped the run; nothing was saved from that step. */
    DIVERGED,
    /** Ended by an error (disk, data); the newest checkpoint is intact. */
    FAILED;

    /** The word used in files and reports: "finished", "stopped", "diverged", "failed". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
