package dev.jgan.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDifferenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> diff(String before, String after) throws Exception {
        List<String> out = new ArrayList<>();
        JsonDifference.collect("", JSON.readTree(before), after == null ? null : JSON.readTree(after), out);
        return out;
    }

    @Test
    void equalTreesHaveNoDifference() throws Exception {
        assertThat(diff("{\"a\": {\"b\": [1, 2]}, \"c\": \"x\"}", "{\"c\": \"x\", \"a\": {\"b\": [1, 2]}}")).isEmpty();
    }

    @Test
    void namesEachChangedLeafWithBothValues() throws Exception {
        assertThat(diff("{\"training\": {\"batch_size\": 64, \"epochs\": 3}, \"seed\": 1, \"g\": {\"f\": [64, 32]}}",
                "{\"training\": {\"batch_size\": 32, \"epochs\": 3}, \"seed\": 1, \"g\": {\"f\": [64, 16]}, "
                        + "\"loss\": {\"type\": \"hinge\"}}"))
                .containsExactly("training.batch_size (64 -> 32)", "g.f[1] (32 -> 16)",
                        "loss (absent -> {\"type\":\"hinge\"})");
    }

    @Test
    void arraysOfAnotherLengthAndRemovedFieldsAreNamedWhole() throws Exception {
        assertThat(diff("{\"f\": [1, 2], \"seed\": 7}", "{\"f\": [1, 2, 3]}"))
                .containsExactly("f ([1,2] -> [1,2,3])", "seed (7 -> absent)");
        assertThat(diff("{\"a\": 1}", null)).containsExactly("the whole config ({\"a\":1} -> absent)");
    }
}
