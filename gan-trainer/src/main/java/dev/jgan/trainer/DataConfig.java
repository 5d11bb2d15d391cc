package dev.jgan.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the training images come from.
 *
 * @param type {@code mnist} or {@code fashion_mnist} (IDX files)
 * @param location directory with the IDX files (gzipped or not); null uses the small MNIST subset embedded in
 *     {@code gan-examples} (10,000 images)
 * @param split {@code train} (60,000 images) or {@code test} (10,000)
 * @param download fetch missing files once from {@code mirrors} into {@code location}, checksum-verified
 * @param mirrors base URLs tried in order; null means the dataset's canonical mirrors
 * @param limit use only the first {@code limit} images; 0 uses all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataConfig(
        @JsonProperty("type") String type,
        @JsonProperty("location") Path location,
        @JsonProperty("split") String split,
        @JsonProperty("download") Boolean download,
        @JsonProperty("mirrors") List<URI> mirrors,
        @JsonProperty("limit") Integer limit) {

    public static final DataConfig DEFAULT = new DataConfig(null, null, null, null, null, null);

    public DataConfig {
        type = type == null ? "mnist" : type;
        Checks.check(IdxDatasets.TYPES.contains(type), "type", "one of " + IdxDatasets.TYPES, type);
        split = split == null ? "train" : split;
        Checks.check(split.equals("train") || split.equals("test"), "split", "\"train\" or \"test\"", split);
        download = download == null || download;
        mirrors = mirrors == null ? null : List.copyOf(mirrors);
        limit = limit == null ? 0 : limit;
        Checks.check(limit >= 0, "limit", "0 (all images) or a positive count", limit);
    }
}
