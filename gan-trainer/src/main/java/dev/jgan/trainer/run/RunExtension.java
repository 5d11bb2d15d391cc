package dev.jgan.trainer.run;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.data.DataException;

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
}
