package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the JIT compiler threads' CPU time from Linux's per-thread stat lines. */
class CompilerThreadsTest {

    @Test
    void takesUserAndSystemTicksCountingFieldsAfterTheName() {
        // a name with a space and a ')' in it, as a thread may have; utime 1234 and stime 56 are fields 14 and 15
        String stat = "4242 (C2 Compiler) x) S 4200 4200 4200 0 -1 1077936192 9000 0 0 0 1234 56 0 0 20 0 40 0 "
                + "887 9905340160 75218 18446744073709551615";
        assertThat(CompilerThreads.cpuTicks(stat)).isEqualTo(1290);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThat(CompilerThreads.cpuTicks("no parenthesis here")).isEqualTo(-1);
        assertThat(CompilerThreads.cpuTicks("1 (short) S 2 3")).isEqualTo(-1);
        assertThat(CompilerThreads.cpuTicks("1 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 5 0")).isEqualTo(-1);
    }

    @Test
    void findsThisJvmsCompilerThreadsOnLinux() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return;
        }
        // the JVM compiles from its first moments, so its compiler threads exist and have run
        assertThat(CompilerThreads.cpuMillis()).isGreaterThan(0);
    }
}
