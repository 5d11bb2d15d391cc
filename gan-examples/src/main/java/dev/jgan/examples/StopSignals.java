package dev.jgan.examples;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code train}: the first asks the run to stop after the current step, write a
 * checkpoint and its final files, and the command then exits normally (0, with the {@code --resume} line); a second
 * one ends the process at once (exit 130), which checkpoints survive since each is written to a temporary folder
 * and renamed into place. Uses {@code sun.misc.Signal} (module jdk.unsupported): the JDK's only way to handle a
 * signal instead of shutting down; where it is missing, the shutdown hook of {@code train} still stops the run.
 */
final class StopSignals {

    private StopSignals() {}

    /** Routes SIGINT and SIGTERM to {@code stop} (first signal) and to an immediate exit (second). */
    static void install(Runnable stop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    if (received.incrementAndGet() == 1) {
                        System.err.println("stopping after the current step and writing a checkpoint... "
                                + "(again to stop at once)");
                        stop.run();
                    } else {
                        System.err.println("stopping now; the newest checkpoint is intact");
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform does not let Java handle the signal: the shutdown hook stops the run instead
            }
        }
    }
}
