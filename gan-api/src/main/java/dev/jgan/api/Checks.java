package dev.jgan.api;

/** Validation helpers for config records: each failure names the field and what was expected. */
public final class Checks {

    private Checks() {}

    /** Throws {@link InvalidConfigException} for {@code field} unless {@code ok}. */
    public static void check(boolean ok, String field, String expected, Object actual) {
        if (!ok) {
            throw new InvalidConfigException(field, expected, actual);
        }
    }
}
