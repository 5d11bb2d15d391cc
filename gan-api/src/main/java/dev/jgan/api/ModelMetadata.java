package dev.jgan.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Collections;
import java.util.LinkedHashMap;

/**
 * What a saved network file says about itself, so that it can be used without the config that made it.
 *
 * @param role {@code generator} or {@code discriminator}
 * @param type registered network type
 * @param latentSize latent size (generators; 0 otherwise)
 * @param image image shape produced or consumed
 * @param formatVersion version of this file layout
 * @param provenance how the network was made (library versions, seed, config hash, data, steps)
 * @param numClasses classes a conditional network is conditioned on; absent or 0 for unconditional ones
 * @param spectralNorm whether the network's weights are spectrally normalised (the file holds the raw weights)
 * @param quality measured sample quality of a generator (e.g. {@code frechet_distance}, {@code classifier_score},
 *     {@code recall}, the reference and sample count), written when the model was published; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
        @JsonProperty("role") String role,
        @JsonProperty("type") String type,
        @JsonProperty("latent_size") int latentSize,
        @JsonProperty("image") ImageShape image,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("provenance") Map<String, Object> provenance,
        @JsonProperty("num_classes") Integer numClasses,
        @JsonProperty("spectral_norm") Boolean spectralNorm,
        @JsonProperty("quality") Map<String, Object> quality) {

    /** Role of a saved generator. */
    public static final String GENERATOR = "generator";
    /** Role of a saved discriminator. */
    public static final String DISCRIMINATOR = "discriminator";

    /** Current version of the saved-model layout. */
    public static final int FORMAT_VERSION = 1;

    /** Validates the components. */
    public ModelMetadata {
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        numClasses = numClasses == null || numClasses == 0 ? null : numClasses;
        spectralNorm = spectralNorm == null || !spectralNorm ? null : true;
        quality = quality == null || quality.isEmpty() ? null : Collections.unmodifiableMap(
                new LinkedHashMap<>(quality));
    }

    /** Metadata without a quality record. */
    public ModelMetadata(String role, String type, int latentSize, ImageShape image, int formatVersion,
                         Map<String, Object> provenance, Integer numClasses, Boolean spectralNorm) {
        this(role, type, latentSize, image, formatVersion, provenance, numClasses, spectralNorm, null);
    }

    /** Metadata of a network without spectral normalisation. */
    public ModelMetadata(String role, String type, int latentSize, ImageShape image, int formatVersion,
                         Map<String, Object> provenance, Integer numClasses) {
        this(role, type, latentSize, image, formatVersion, provenance, numClasses, null, null);
    }

    /** This metadata, marking spectrally normalised weights. */
    public ModelMetadata withSpectralNorm() {
        return new ModelMetadata(role, type, latentSize, image, formatVersion, provenance, numClasses, true, quality);
    }

    /** This metadata with a measured sample quality (see {@link #quality()}). */
    public ModelMetadata withQuality(Map<String, Object> measured) {
        return new ModelMetadata(role, type, latentSize, image, formatVersion, provenance, numClasses, spectralNorm,
                measured);
    }

    /** Whether the weights are spectrally normalised. */
    public boolean spectrallyNormalised() {
        return spectralNorm != null && spectralNorm;
    }

    /** Metadata of an unconditional network. */
    public ModelMetadata(String role, String type, int latentSize, ImageShape image, int formatVersion,
                         Map<String, Object> provenance) {
        this(role, type, latentSize, image, formatVersion, provenance, null, null, null);
    }

    /** Classes the network is conditioned on; 0 when unconditional. */
    public int classes() {
        return numClasses == null ? 0 : numClasses;
    }
}
