package dev.jgan.api;

import java.util.List;

/** Validation helpers for config records: each failure names the field and what was expected. */
public final class Checks {

    private Checks() {}

    /** Throws {@link InvalidConfigException} for {@code field} unless {@code ok}. */
    public static void check(boolean ok, String field, String expected, Object actual) {
        if (!ok) {
            throw new InvalidConfigException(field, expected, actual);
        }
    }

    /**
     * Checks a list of sizes (layer widths, filter counts): non-empty, at most {@code maxEntries} entries, each in
     * [1, {@code maxValue}]; {@code what} names the entries in messages ("layer sizes"). Returns an immutable copy.
     */
    public static List<Integer> sizes(String field, List<Integer> values, int maxEntries,
                                                int maxValue, String what) {
        check(!values.isEmpty(), field, "a non-empty list of " + what, values);
        check(values.size() <= maxEntries, field, "a list of at most " + maxEntries + " " + what, values.size());
        for (Integer v : values) {
            check(v != null && v >= 1, field, what + " >= 1", values);
            check(v <= maxValue, field, what + " <= " + maxValue, values);
        }
        return List.copyOf(values);
    }
}
