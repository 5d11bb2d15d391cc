package dev.jgan.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The leaves in which two JSON trees differ, as JSON paths with both values ({@code training.batch_size (64 -> 32)}). */
final class JsonDifference {

    private static final int MAX_VALUE_CHARS = 40;

    private JsonDifference() {}

    /**
     * Adds to {@code out} each path under {@code path} where {@code before} and {@code after} differ: objects key by
     * key, arrays of equal length element by element, anything else as a whole; a missing node is "absent".
     */
    static void collect(String path, JsonNode before, JsonNode after, List<String> out) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                collect(path.isEmpty() ? key : path + "." + key, before.get(key), after.get(key), out);
            }
        } else if (before != null && after != null && before.isArray() && after.isArray()
                && before.size() == after.size()) {
            Iterator<JsonNode> a = before.elements();
            Iterator<JsonNode> b = after.elements();
            for (int i = 0; a.hasNext(); i++) {
                collect(path + "[" + i + "]", a.next(), b.next(), out);
            }
        } else {
            out.add((path.isEmpty() ? "the whole config" : path) + " (" + show(before) + " -> " + show(after) + ")");
        }
    }

    private static String show(JsonNode node) {
        if (node == null) {
            return "absent";
        }
        String text = node.toString();
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
