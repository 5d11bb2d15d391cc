package dev.jgan.trainer.data;

/** Training data cannot be read: the message names the file or directory and the problem. */
public class DataException extends Exception {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
