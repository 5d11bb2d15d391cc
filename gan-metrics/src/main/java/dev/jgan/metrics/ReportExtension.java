package dev.jgan.metrics;

import dev.jgan.trainer.run.RunContext;
import dev.jgan.trainer.run.RunExtension;
import dev.jgan.trainer.run.RunListener;

/**
 * Attaches {@code report.html} to every run (registered in {@code META-INF/services}); it comes after the metrics,
 * so that its last rewrite shows the final figures.
 */
public final class ReportExtension implements RunExtension {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public RunListener attach(RunContext context) {
        return new RunReport(context.directory());
    }
}
