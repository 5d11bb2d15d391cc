package dev.jgan.dl4j;

import java.io.IOException;
import java.nio.file.Path;

/** A model file cannot be used: its message names the file and what is wrong with it. */
public class InvalidModelFileException extends IOException {

    public InvalidModelFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InvalidModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
