package dev.jgan.inference;

import dev.jgan.api.EpochOrder;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.LatentPaths;
import dev.jgan.api.ModelMetadata;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.InvalidModelFileException;
import dev.jgan.inference.onnx.OnnxExport;
import dev.jgan.trainer.run.AtomicFiles;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.run.ImageGrids;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trained generator, ready to make images: load a model file with {@link #load(Path)} or a published one by name
 * with {@link #pretrained(String)}, then {@link #sample(int, long)}, {@link #interpolate} or read its
 * {@link #card()}.
 *
 * <p><b>Images</b> come as ND4J arrays {@code [n, C, H, W]} (NCHW, float) with values in [-1, 1] (the generator's
 * tanh output; pixel = (v + 1) / 2 · 255), or as {@link BufferedImage}s (grey for one channel, RGB for three).
 *
 * <p><b>Determinism</b>: image {@code i} of {@code sample(n, seed)} is made from a latent vector drawn from its own
 * random stream (a {@link SplittableRandom} seeded with {@link EpochOrder#mix}{@code (seed, i)}), so it does not depend
 * on {@code n}: {@code sample(10, s)} equals the first 10 images of {@code sample(100, s)}, and
 * {@link #sampleRange} makes any stretch of the sequence. The network runs on at most {@value #BATCH} latent vectors
 * at a time; its output for one vector was measured not to depend on the others in the batch (tested).
 *
 * <p><b>Concurrency</b>: a DL4J network is not safe for concurrent use, so one instance serialises its forward
 * passes on its own monitor ({@code synchronized (this)}, at most {@value #BATCH} images at a time); any number of
 * threads may share it, each call's result is the same as if made alone. For parallel generation, load one
 * instance per thread.
 */
public final class GeneratorModel {

    /** Most latent vectors the network sees at once. */
    public static final int BATCH = 256;

    private final Generator generator;
    private final ModelMetadata metadata;
    private final String name;

    private GeneratorModel(Generator generator, ModelMetadata metadata, String name) {
        this.generator = generator;
        this.metadata = metadata;
        this.name = name;
    }

    /**
     * Loads a generator file ({@code generator.zip} of a run, or a published one).
     *
     * @throws InvalidModelFileException when the file is not a readable generator (the message names it)
     */
    public static GeneratorModel load(Path file) throws InvalidModelFileException {
        return new GeneratorModel(ModelFiles.loadGenerator(file), ModelFiles.readMetadata(file),
                file.getFileName().toString());
    }

    /**
     * Loads a published generator by name (see {@link Pretrained#names()}); needs {@code dev.jgan:gan-pretrained}
     * on the class path.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static GeneratorModel pretrained(String name) {
        try (InputStream in = Pretrained.open(name)) {
            Path tmp = Files.createTempFile("jgan-" + name, ".zip");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return new GeneratorModel(ModelFiles.loadGenerator(tmp), ModelFiles.readMetadata(tmp), name);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the published generator " + name, e);
        }
    }

    /** The name it was loaded by: the published name, or the file name. */
    public String name() {
        return name;
    }

    /** Classes a conditional generator takes (labels or clusters); 0 when unconditional. */
    public int numClasses() {
        return generator.numClasses();
    }

    /** Length of a latent vector. */
    public int latentSize() {
        return generator.latentSize();
    }

    /** Shape of one image. */
    public ImageShape imageShape() {
        return generator.imageShape();
    }

    /** What the model is and how it was made, from its file. */
    public ModelCard card() {
        return ModelCard.of(name, metadata);
    }

    /**
     * {@code n} images from {@code seed}; a conditional generator takes the classes in turn (image {@code i} is of
     * class {@code i mod numClasses()}).
     */
    public INDArray sample(int n, long seed) {
        return sampleRange(0, n, seed);
    }

    /** {@code n} images of class {@code classIndex} from {@code seed} (same latent vectors as {@link #sample(int, long)}). */
    public INDArray sample(int n, long seed, int classIndex) {
        return sampleRange(0, n, seed, classIndex);
    }

    /** Images {@code first .. first + n - 1} of the sequence {@link #sample(int, long)} starts. */
    public INDArray sampleRange(long first, int n, long seed) {
        int[] labels = numClasses() == 0 ? null : new int[n];
        for (int i = 0; labels != null && i < n; i++) {
            labels[i] = (int) ((first + i) % numClasses());
        }
        return generate(latents(first, n, seed), labels);
    }

    /** Images {@code first .. first + n - 1} of the sequence {@link #sample(int, long, int)} starts. */
    public INDArray sampleRange(long first, int n, long seed, int classIndex) {
        checkClass(classIndex);
        int[] labels = new int[n];
        Arrays.fill(labels, classIndex);
        return generate(latents(first, n, seed), labels);
    }

    /**
     * {@code steps} images along the path from the first latent vector of {@code seedA} to that of {@code seedB}
     * (both ends included); a conditional generator draws them all of class 0 (see the overload).
     */
    public INDArray interpolate(long seedA, long seedB, int steps, LatentPaths.Kind path) {
        return interpolate(seedA, seedB, steps, path, numClasses() == 0 ? -1 : 0);
    }

    /** As {@link #interpolate(long, long, int, LatentPaths.Kind)}, all of class {@code classIndex}. */
    public INDArray interpolate(long seedA, long seedB, int steps, LatentPaths.Kind path, int classIndex) {
        if (steps < 2) {
            throw new IllegalArgumentException("steps: expected at least 2, got " + steps);
        }
        int[] labels = null;
        if (numClasses() > 0) {
            checkClass(classIndex);
            labels = new int[steps];
            Arrays.fill(labels, classIndex);
        }
        return generate(LatentPaths.path(latents(0, 1, seedA), latents(0, 1, seedB), steps, path), labels);
    }

    /**
     * Writes this generator as an ONNX file (see {@link OnnxExport} for its input, output and opset), atomically.
     */
    public void exportOnnx(Path out) throws IOException {
        byte[] onnx = OnnxExport.toOnnx(((Dl4jGenerator) generator).model(), metadata);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        AtomicFiles.write(out, tmp -> Files.write(tmp, onnx));
    }

    /** The images as {@link BufferedImage}s of the image size. */
    public static List<BufferedImage> toImages(INDArray images) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            out.add(ImageGrids.render(images.get(NDArrayIndex.interval(i, i + 1)), 1, 0));
        }
        return out;
    }

    /** The images as one grid, {@code columns} wide. */
    public static BufferedImage grid(INDArray images, int columns) {
        return ImageGrids.render(images, columns);
    }

    /** The images as a PNG grid, {@code columns} wide, 2 black pixels between and around them. */
    public static byte[] png(INDArray images, int columns) {
        return png(images, columns, 2);
    }

    /** The images as a PNG grid, {@code columns} wide, {@code pad} black pixels between and around them. */
    public static byte[] png(INDArray images, int columns, int pad) {
        var bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(ImageGrids.render(images, columns, pad), "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Latent vectors {@code [n, latentSize]} of images {@code first ..}: N(0, 1) from each image's own stream. */
    INDArray latents(long first, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n: expected at least 1 image, got " + n);
        }
        if (first < 0) {
            throw new IllegalArgumentException("first: expected an index >= 0, got " + first);
        }
        int size = latentSize();
        float[] z = new float[n * size];
        for (int i = 0; i < n; i++) {
            SplittableRandom row = new SplittableRandom(EpochOrder.mix(seed, first + i));
            for (int j = 0; j < size; j++) {
                z[i * size + j] = (float) row.nextGaussian();
            }
        }
        return Nd4j.create(z, new long[] {n, size}, 'c');
    }

    private INDArray generate(INDArray latent, int[] labels) {
        int n = (int) latent.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray z = latent.get(NDArrayIndex.interval(from, to)).dup();
            int[] part = labels == null ? null : Arrays.copyOfRange(labels, from, to);
            synchronized (this) {
                parts.add((part == null ? generator.generate(z) : generator.generate(z, part)).detach());
            }
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private void checkClass(int classIndex) {
        if (numClasses() == 0) {
            throw new IllegalArgumentException("class: " + name + " is not a conditional generator");
        }
        if (classIndex < 0 || classIndex >= numClasses()) {
            throw new IllegalArgumentException("class: expected a class in [0, " + (numClasses() - 1) + "], got "
                    + classIndex);
        }
    }
}
