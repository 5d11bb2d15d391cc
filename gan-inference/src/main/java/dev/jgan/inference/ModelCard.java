package dev.jgan.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import java.util.Map;

/**
 * What a generator is and how it was made, read from its model file (the metadata entry and the provenance recorded
 * when it was trained).
 *
 * @param name the name it was loaded by
 * @param type network type ({@code dense}, {@code dcgan}, {@code resnet}, or a registered one)
 * @param latentSize length of a latent vector
 * @param image shape of one image
 * @param numClasses classes of a conditional generator; 0 when unconditional
 * @param classes what the classes are: {@code labels} (the data's), {@code clusters} (k-means clusters of the
 *     training images), absent when unconditional
 * @param parameters number of parameters
 * @param data the training data (source, number of images, shape)
 * @param recipe the resolved training config
 * @param steps training steps
 * @param epochs training epochs
 * @param trainingSeconds wall time of the training sessions
 * @param library the library that trained it
 * @param quality measured sample quality, when it was recorded at publication (see {@link ModelMetadata#quality()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("latent_size") int latentSize,
        @JsonProperty("image") ImageShape image,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("classes") String classes,
        @JsonProperty("parameters") Long parameters,
        @JsonProperty("data") Object data,
        @JsonProperty("recipe") Object recipe,
        @JsonProperty("steps") Long steps,
        @JsonProperty("epochs") Long epochs,
        @JsonProperty("training_seconds") Double trainingSeconds,
        @JsonProperty("library") String library,
        @JsonProperty("quality") Map<String, Object> quality) {

    static ModelCard of(String name, ModelMetadata md) {
        Map<String, Object> p = md.provenance();
        Object data = p.get("data");
        String classes = null;
        if (md.classes() > 0) {
            classes = data instanceof Map<?, ?> d && "clusters".equals(d.get("labels")) ? "clusters" : "labels";
        }
        Long parameters = p.get("generator") instanceof Map<?, ?> g ? number(g.get("parameters")) : null;
        Number seconds = p.get("wall_seconds") instanceof Number s ? s : null;
        return new ModelCard(name, md.type(), md.latentSize(), md.image(), md.classes(), classes, parameters, data,
                p.get("config"), number(p.get("steps")), number(p.get("epochs")),
                seconds == null ? null : seconds.doubleValue(), (String) p.get("library"), md.quality());
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }
}
