package dev.jgan.trainer.run;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.data.DataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Something a run does besides training, driven by its config: sample-quality metrics ({@code gan-metrics}), the
 * HTML report ({@code gan-examples}). {@link GanRun} finds extensions on the class path with
 * {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/dev.jgan.trainer.run.RunExtension}) and attaches every one to every run, so a run started
 * from Java does what {@code jgan train} does with the same modules on the class path.
 */
public interface RunExtension {

    /** Short name, for logs and for "this config section needs module X" errors (for example "metrics"). */
    String name();

    /** Extensions hear {@link RunListener#onRunEnd} in ascending order (a report that shows metrics goes last). */
    default int order() {
        return 0;
    }

    /**
     * The listener for this run, or null when the config asks nothing of this extension.
     *
     * @throws ConfigException when the config asks for something this extension cannot do
     */
    RunListener attach(RunContext context) throws ConfigException, DataException;

    /** The extensions on the class path (of the thread's context class loader, else of this interface's). */
    static List<RunExtension> onClassPath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<RunExtension> found = new ArrayList<>();
        ServiceLoader.load(RunExtension.class, loader != null ? loader : RunExtension.class.getClassLoader())
                .forEach(found::add);
        return found;
    }

    /**
     * Attaches {@code extensions} to the run of {@code context}, in {@link #order()}; returns the listeners of
     * those that attached, in that order.
     */
    static List<RunListener> attachAll(Collection<RunExtension> extensions, RunContext context)
            throws ConfigException, DataException {
        List<RunExtension> ordered = new ArrayList<>(extensions);
        ordered.sort(Comparator.comparingInt(RunExtension::order));
        List<RunListener> attached = new ArrayList<>();
        for (RunExtension e : ordered) {
            RunListener l = e.attach(context);
            if (l != null) {
                attached.add(l);
            }
        }
        return attached;
    }
}
