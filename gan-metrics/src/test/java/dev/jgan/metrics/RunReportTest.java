package dev.jgan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The report's per-step charts show a run from its first step and average long runs into about 100 points. */
class RunReportTest {

    @Test
    void shortRunsArePlottedStepByStepAndLongOnesAveraged() {
        assertThat(RunReport.window(1)).isEqualTo(1);
        assertThat(RunReport.window(24)).isEqualTo(1);    // was 25 rows a point: no point at all below 25 steps
        assertThat(RunReport.window(250)).isEqualTo(2);
        assertThat(RunReport.window(3120)).isEqualTo(25);
        assertThat(RunReport.window(1_000_000)).isEqualTo(25);
    }
}
