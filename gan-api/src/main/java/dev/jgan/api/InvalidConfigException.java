package dev.jgan.api;

/**
 * A configuration value is out of range. {@link #field()} is the JSON name of the offending field; whoever knows the
 * enclosing path (the config reader) prefixes it.
 */
public class InvalidConfigException extends IllegalArgumentException {

    private final String field;
    private final String expected;
    private final transient Object actual;

    /** {@code field} was {@code actual}; {@code expected} says what it should be. */
    public InvalidConfigException(String field, String expected, Object actual) {
        super(field + ": expected " + expected + ", got " + actual);
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    /** JSON name (or path) of the field. */
    public String field() {
        return field;
    }

    /** What a valid value looks like. */
    public String expected() {
        return expected;
    }

    /** The rejected value. */
    public Object actual() {
        return actual;
    }
}
