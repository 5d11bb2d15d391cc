package dev.jgan.examples;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;

/** The one line a failed command prints: what went wrong in words a user can act on, without a stack trace. */
final class ErrorMessages {

    private ErrorMessages() {}

    /** The line for {@code e} (after "error: "). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
                return "the disk is full (" + e.getMessage() + "). Files already saved are intact: checkpoints and "
                        + "outputs are written to a temporary name and renamed into place. Free some space and run the "
                        + "command again (a training run continues from its last checkpoint with train --resume "
                        + "RUN_DIR)";
            }
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied (expected a file or folder this user may "
                    + (a.getOtherFile() == null ? "read or write" : "move") + ")";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException x) {
            return x.getFile() + ": a file is in the way where a folder is needed";
        }
        if (e instanceof NotDirectoryException x) {
            return x.getFile() + ": not a folder, where a folder is needed";
        }
        if (e instanceof FileSystemException x && x.getFile() != null && x.getReason() != null) {
            return x.getFile() + ": " + x.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
