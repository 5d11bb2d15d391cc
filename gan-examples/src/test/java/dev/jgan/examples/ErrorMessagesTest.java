package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {

    @Test
    void aFullDiskIsNamedWhereverItIsInTheCauses() {
        var e = new UncheckedIOException(new IOException("writing checkpoint runs/a/checkpoints/step-000000100: "
                + "No space left on device"));
        assertThat(ErrorMessages.describe(e)).startsWith("the disk is full (")
                .contains("step-000000100").contains("Files already saved are intact").contains("--resume");
        assertThat(ErrorMessages.describe(new IOException("Disk quota exceeded"))).startsWith("the disk is full");
    }

    @Test
    void fileErrorsNameTheFileAndWhatWentWrong() {
        assertThat(ErrorMessages.describe(new NoSuchFileException("/x/model.zip")))
                .isEqualTo("/x/model.zip: no such file or folder");
        assertThat(ErrorMessages.describe(new AccessDeniedException("/ro/runs")))
                .isEqualTo("/ro/runs: permission denied (expected a file or folder this user may read or write)");
        assertThat(ErrorMessages.describe(new IllegalStateException("training.batch_size: expected 1 or more")))
                .isEqualTo("training.batch_size: expected 1 or more");
        assertThat(ErrorMessages.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
