package dev.jgan.examples;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code train}: the first asks the run to stop after the current step, write a
 * checkpoint and its final files, and the command then exits normally (0, with the {@code --resume} line); a second
 * one ends the process at once (exit 130), which checkpoints survive since each is written to a temporary folder
 * and renamed into place. A first signal that comes before training has begun (while the data are read or the networks
 * built, which native code may make long) also ends the process at once: no checkpoint of this process exists yet
 * to lose. Uses {@code sun.misc.Signal} (module jdk.unsupported): the JDK's only way to handle a
 * signal instead of shutting down; where it is missing, the shutdown hook of {@code train} still stops the run.
 */
final class StopSignals {

    private StopSignals() {}

    /**
     * Routes SIGINT and SIGTERM to {@code stop} (first signal, once {@code started} is true) and to an immediate
     * exit (second signal, or the first before training started).
     */
    static void install(Runnable stop, BooleanSupplier started) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.SignalHandler before = Signal.handle(new Signal(name), s -> {
                    if (!started.getAsBoolean()) {
                        System.err.println("stopped before training began; nothing of this run was trained yet");
                        Runtime.getRuntime().halt(130);
                    } else if (received.incrementAndGet() == 1) {
                        System.err.println("stopping after the current step and writing a checkpoint... "
                                + "(again to stop at once)");
                        stop.run();
                    } else {
                        System.err.println("stopping now; the newest checkpoint is intact");
                        Runtime.getRuntime().halt(130);
                    }
                });
                if (before == sun.misc.SignalHandler.SIG_IGN) {
                    // the JVM keeps a signal ignored that the process started with ignored (a background job of
                    // a non-interactive shell, nohup): Ctrl-C cannot reach this run
                    System.err.println("note: SIG" + name + " is ignored by this process (it was started with SIG"
                            + name + " ignored, e.g. in the background of a script)" + ("INT".equals(name)
                            ? "; Ctrl-C cannot stop it: stop it with SIGTERM (kill " + ProcessHandle.current().pid()
                            + "), which also stops after the current step" : ""));
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform does not let Java handle the signal: the shutdown hook stops the run instead
            }
        }
    }
}
