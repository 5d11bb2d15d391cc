package dev.jgan.trainer.data;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the {@link ImageSource} a {@link DataConfig} names: loaded into memory, or streamed from disk. */
public final class DataSources {

    private DataSources() {}

    /**
     * The images {@code config} names: {@code storage "memory"} loads them all ({@link IdxDatasets#load});
     * {@code "stream"} reads them from disk in chunks of {@code chunk} images, ahead of training
     * ({@link StreamingSource}); close a streamed source when done with it.
     */
    public static ImageSource open(DataConfig config) throws DataException {
        if (config.storage() == DataConfig.Storage.MEMORY) {
            return IdxDatasets.load(config);
        }
        if (config.isImageFolder()) {
            ImageFolders.Listing listing = ImageFolders.list(config);
            return new StreamingSource(new FolderRecords(listing,
                    new ImageShape(config.channels(), config.height(), config.width())), config.chunk());
        }
        if (config.location() == null) {
            throw new DataException("data.storage: \"stream\" reads files from data.location, which is not set "
                    + "(the embedded MNIST subset is always in memory)");
        }
        String prefix = config.split().equals("train") ? "train" : "t10k";
        Path images = config.location().resolve(prefix + "-images-idx3-ubyte");
        if (!Files.isRegularFile(images)) {
            throw new DataException(config.location() + ": data.storage \"stream\" needs the uncompressed "
                    + images.getFileName() + " there (it reads images by position; gunzip -k the .gz file)");
        }
        Path labels = config.location().resolve(prefix + "-labels-idx1-ubyte");
        if (!Files.isRegularFile(labels)) {
            labels = config.location().resolve(prefix + "-labels-idx1-ubyte.gz");
        }
        return new StreamingSource(IdxRecords.open(images, Files.isRegularFile(labels) ? labels : null,
                config.limit()), config.chunk());
    }
}
