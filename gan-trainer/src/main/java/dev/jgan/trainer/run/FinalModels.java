package dev.jgan.trainer.run;

import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.TrainableGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.Files;

/**
 * The models a run leaves in its directory: {@code generator.zip} (the one to sample from: with an EMA, the averaged
 * weights), {@code generator-raw.zip} (with an EMA, the trained weights) and {@code discriminator.zip}, each with
 * its metadata and the run's provenance.
 */
public final class FinalModels {

    static final String GENERATOR = "generator.zip";
    static final String DISCRIMINATOR = "discriminator.zip";

    private FinalModels() {}

    /**
     * Writes the models into {@code dir}; returns the generator file. {@code sampling} is {@code trained} or, with
     * an EMA, a view of it with the averaged weights.
     */
    public static Path save(Path dir, TrainableGenerator trained, Generator sampling, Discriminator d,
                     Map<String, Object> provenance) throws IOException {
        ModelMetadata gMeta = new ModelMetadata(ModelMetadata.GENERATOR, trained.type(), trained.latentSize(),
                trained.imageShape(), ModelMetadata.FORMAT_VERSION, provenance, trained.numClasses());
        Path gFile = dir.resolve(GENERATOR);
        sampling.save(gFile, gMeta);
        if (sampling != trained) {
            trained.save(dir.resolve("generator-raw.zip"), gMeta);
        }
        d.save(dir.resolve(DISCRIMINATOR), new ModelMetadata(ModelMetadata.DISCRIMINATOR, d.type(), 0,
                d.imageShape(), ModelMetadata.FORMAT_VERSION, provenance, d.numClasses()));
        return gFile;
    }

    /** Writes {@code samples/final.png}: {@code sampling}'s images of the run's fixed grid input. */
    public static Path writeFinalGrid(Path dir, Generator sampling, SampleGrid grid) throws IOException {
        Files.createDirectories(dir.resolve("samples"));
        return ImageGrids.writePng(sampling.generate(grid.input()), grid.columns(),
                dir.resolve("samples").resolve("final.png"));
    }
}
