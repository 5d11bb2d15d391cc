package dev.jgan.trainer.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where the training images come from.
 *
 * @param type {@code mnist} or {@code fashion_mnist} (IDX files), or {@code image_folder}: PNG/JPEG/BMP/GIF files
 *     under {@code location}, one subfolder per class when {@code labels} is true, resized (centre crop to the
 *     aspect ratio, then bilinear scaling) to {@code height} x {@code width} with {@code channels} 1 (grey) or 3
 * @param location directory with the IDX files (gzipped or not); null uses the small MNIST subset embedded in
 *     {@code gan-examples} (10,000 images)
 * @param split {@code train} (60,000 images) or {@code test} (10,000)
 * @param download fetch missing files once from {@code mirrors} into {@code location}, checksum-verified
 * @param mirrors base URLs tried in order; null means the dataset's canonical mirrors
 * @param limit use only the first {@code limit} images; 0 uses all
 * @param height image_folder: image height after resizing (default 32)
 * @param width image_folder: image width after resizing (default 32)
 * @param channels image_folder: 1 (grey) or 3 (RGB) (default 3)
 * @param labels image_folder: subfolders are classes, in name order (default false: every image under the folder)
 * @param storage {@code memory} (default): every image loaded before training; {@code stream}: images read from
 *     disk during training, a chunk ahead, so memory does not grow with the number of images (IDX images must be
 *     uncompressed)
 * @param chunk stream: images read ahead at a time (default 4096)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataConfig(
        @JsonProperty("type") String type,
        @JsonProperty("location") Path location,
        @JsonProperty("split") String split,
        @JsonProperty("download") Boolean download,
        @JsonProperty("mirrors") List<URI> mirrors,
        @JsonProperty("limit") Integer limit,
        @JsonProperty("height") Integer height,
        @JsonProperty("width") Integer width,
        @JsonProperty("channels") Integer channels,
        @JsonProperty("labels") Boolean labels,
        @JsonProperty("storage") Storage storage,
        @JsonProperty("chunk") Integer chunk) {

    /** Where the images are kept while training. */
    public enum Storage {
        /** All images in memory, loaded before training. */
        @JsonProperty("memory") MEMORY,
        /** Read from disk during training, a chunk ahead. */
        @JsonProperty("stream") STREAM
    }

    /** Every setting at its default (off where a setting can be). */
    public static final DataConfig DEFAULT = new DataConfig(null, null, null, null, null, null);

    /** IDX data settings. */
    public DataConfig(String type, Path location, String split, Boolean download, List<URI> mirrors, Integer limit) {
        this(type, location, split, download, mirrors, limit, null, null, null, null);
    }

    /** Image-folder (or IDX, with null sizes) settings, kept in memory. */
    public DataConfig(String type, Path location, String split, Boolean download, List<URI> mirrors, Integer limit,
                      Integer height, Integer width, Integer channels, Boolean labels) {
        this(type, location, split, download, mirrors, limit, height, width, channels, labels, null, null);
    }

    /** These settings with the images in {@code location}. */
    public DataConfig withLocation(Path location) {
        return new DataConfig(type, location, split, download, mirrors, limit, height, width, channels, labels,
                storage, chunk);
    }

    /** These settings with the images kept as {@code storage}. */
    public DataConfig withStorage(Storage storage) {
        return new DataConfig(type, location, split, download, mirrors, limit, height, width, channels, labels,
                storage, chunk);
    }

    /** Whether the images come from a folder of image files. */
    @JsonIgnore
    public boolean isImageFolder() {
        return ImageFolders.TYPE.equals(type);
    }

    /** Validates the components and fills in the defaults of null ones. */
    public DataConfig {
        type = type == null ? "mnist" : type;
        Checks.check(IdxDatasets.TYPES.contains(type), "type", "one of " + IdxDatasets.TYPES, type);
        split = split == null ? "train" : split;
        Checks.check(split.equals("train") || split.equals("test"), "split", "\"train\" or \"test\"", split);
        download = download == null || download;
        mirrors = mirrors == null ? null : List.copyOf(mirrors);
        if (mirrors != null) {
            for (URI m : mirrors) {
                Checks.check(m.isAbsolute() && List.of("http", "https", "file").contains(m.getScheme()),
                        "mirrors", "absolute http(s) or file URLs (e.g. \"https://host/mnist/\")", m);
            }
        }
        limit = limit == null ? 0 : limit;
        Checks.check(limit >= 0, "limit", "0 (all images) or a positive count", limit);
        storage = storage == null ? Storage.MEMORY : storage;
        chunk = chunk == null ? 4096 : chunk;
        Checks.check(chunk >= 1 && chunk <= 1 << 20, "chunk", "an integer in [1, 1048576]", chunk);
        boolean folder = ImageFolders.TYPE.equals(type);
        Checks.check(folder || (height == null && width == null && channels == null && labels == null),
                "height", "no height, width, channels or labels for IDX data (" + type + ")", height);
        if (folder) {
            Checks.check(location != null, "location", "the folder of images", null);
            height = height == null ? 32 : height;
            width = width == null ? 32 : width;
            channels = channels == null ? 3 : channels;
            labels = labels != null && labels;
            Checks.check(height >= 4 && height <= 4096, "height", "an integer in [4, 4096]", height);
            Checks.check(width >= 4 && width <= 4096, "width", "an integer in [4, 4096]", width);
            Checks.check(channels == 1 || channels == 3, "channels", "1 (grey) or 3 (RGB)", channels);
        }
    }
}
