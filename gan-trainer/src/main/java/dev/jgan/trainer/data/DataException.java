package dev.jgan.trainer.data;

/** Training data cannot be read: the message names the file or directory and the problem. */
public class DataException extends Exception {

    /** A problem with data; {@code message} names the file and what was expected. */
    public DataException(String message) {
        super(message);
    }

    /** As {@link #DataException(String)}, with the underlying cause. */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
