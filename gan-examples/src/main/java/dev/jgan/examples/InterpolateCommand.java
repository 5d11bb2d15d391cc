package dev.jgan.examples;

import dev.jgan.api.Conditioning;
import dev.jgan.api.Generator;
import dev.jgan.api.LatentPaths;
import dev.jgan.api.LatentSpace;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.run.ImageGrids;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.Arrays;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code jgan interpolate}: a latent walk. Between the noise of two seeds (straight or spherical path), or, for a
 * conditional generator with {@code --to-class}, between two class labels with the noise held fixed. Writes a PNG
 * strip (one row per {@code --rows} start point) and optionally an animated GIF.
 */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = {"Walk through latent space: a PNG strip of images between two latent points, or between two "
                + "classes of a conditional generator; optionally an animated GIF."})
final class InterpolateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "generator.zip of a run.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The strip (PNG).")
    Path out;

    @Option(names = "--gif", paramLabel = "FILE.gif", description = "Also an animated GIF, there and back.")
    Path gif;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Images per row (default 10).")
    int steps;

    @Option(names = "--rows", defaultValue = "1", paramLabel = "N",
            description = "Independent walks, one per row (default 1).")
    int rows;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the start noise.")
    long seed;

    @Option(names = "--to-seed", paramLabel = "S", description = "Seed of the end noise (default: --seed + 1000).")
    Long toSeed;

    @Option(names = "--path", defaultValue = "spherical", paramLabel = "linear|spherical",
            description = "Path between the two noise vectors (default spherical).")
    String path;

    @Option(names = "--class", paramLabel = "K", description = "Class of a conditional generator (start class).")
    Integer fromClass;

    @Option(names = "--to-class", paramLabel = "K",
            description = "End class: walk between the two labels with the noise fixed (conditional generators).")
    Integer toClass;

    @Option(names = "--frame-ms", defaultValue = "120", paramLabel = "MS", description = "GIF frame time.")
    int frameMs;

    @Override
    public Integer call() throws Exception {
        if (steps < 2 || steps > 1000 || rows < 1 || rows > 100 || frameMs < 10 || frameMs > 60_000) {
            throw new IllegalArgumentException("interpolate: expected --steps in [2, 1000], --rows in [1, 100] and "
                    + "--frame-ms in [10, 60000], got " + steps + ", " + rows + ", " + frameMs);
        }
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out: expected a .png file, got " + out);
        }
        if (gif != null && !gif.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gif")) {
            throw new IllegalArgumentException("--gif: expected a .gif file, got " + gif);
        }
        LatentPaths.Kind kind = switch (path.toLowerCase(Locale.ROOT)) {
            case "linear" -> LatentPaths.Kind.LINEAR;
            case "spherical", "slerp" -> LatentPaths.Kind.SPHERICAL;
            default -> throw new IllegalArgumentException("--path: expected linear or spherical, got " + path);
        };
        Generator g = ModelFiles.loadGenerator(model);
        int k = g.numClasses();
        if (k == 0 && (fromClass != null || toClass != null)) {
            throw new IllegalArgumentException("--class/--to-class: " + model + " is not a conditional generator");
        }
        for (Integer c : new Integer[] {fromClass, toClass}) {
            if (c != null && (c < 0 || c >= k)) {
                throw new IllegalArgumentException("--class/--to-class: expected a class in [0, " + (k - 1)
                        + "], got " + c);
            }
        }
        LatentSpace latent = new LatentSpace(g.latentSize(), LatentSpace.Distribution.NORMAL);
        List<INDArray> rowsOfImages = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            INDArray a = latent.sample(1, Nd4j.getRandomFactory().getNewRandomInstance(seed + r));
            INDArray input;
            if (toClass != null) {
                INDArray noise = a.repeat(0, steps);
                INDArray labels = LatentPaths.path(Conditioning.oneHot(new int[] {fromClass == null ? 0 : fromClass},
                        k), Conditioning.oneHot(new int[] {toClass}, k), steps, LatentPaths.Kind.LINEAR);
                input = Nd4j.hstack(noise, labels.castTo(noise.dataType()));
            } else {
                long end = (toSeed != null ? toSeed : seed + 1000) + r;
                INDArray b = latent.sample(1, Nd4j.getRandomFactory().getNewRandomInstance(end));
                INDArray walk = LatentPaths.path(a, b, steps, kind);
                input = k == 0 ? walk : Conditioning.generatorInput(walk, constant(steps,
                        fromClass == null ? 0 : fromClass), k);
            }
            rowsOfImages.add(g.generate(input));
        }
        INDArray images = Nd4j.concat(0, rowsOfImages.toArray(INDArray[]::new));
        ImageGrids.writePng(images, steps, out);
        System.out.println("wrote " + rows + " x " + steps + " images to " + out);
        if (gif != null) {
            List<BufferedImage> frames = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                frames.add(frame(rowsOfImages, i));
            }
            for (int i = steps - 2; i > 0; i--) {
                frames.add(frame(rowsOfImages, i));
            }
            ImageGrids.writeGif(frames, frameMs, gif);
            System.out.println("wrote " + frames.size() + " frames to " + gif);
        }
        return 0;
    }

    private static int[] constant(int n, int label) {
        int[] l = new int[n];
        Arrays.fill(l, label);
        return l;
    }

    /** Step {@code i} of every row, side by side, enlarged 4x. */
    private static BufferedImage frame(List<INDArray> rows, int i) {
        INDArray column = Nd4j.concat(0, rows.stream().map(r -> r.get(
                NDArrayIndex.interval(i, i + 1))).toArray(INDArray[]::new));
        BufferedImage small = ImageGrids.render(column, rows.size());
        BufferedImage big = new BufferedImage(small.getWidth() * 4, small.getHeight() * 4, small.getType());
        var gr = big.createGraphics();
        gr.drawImage(small, 0, 0, big.getWidth(), big.getHeight(), null);
        gr.dispose();
        return big;
    }
}
