package dev.jgan.trainer.data;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folder of image files as training data ({@code "data": {"type": "image_folder", ...}}). Decoding is the JDK's
 * ImageIO (PNG, JPEG, BMP, GIF), chosen over DataVec's image loader, which would bring OpenCV's native libraries for
 * every platform; resizing is Java2D's bilinear scaling after a centre crop to the target aspect ratio.
 */
public final class ImageFolders {

    /** The data type name. */
    public static final String TYPE = "image_folder";

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFolders() {}

    /** Loads every image under {@code config.location()} (one subfolder per class when labels are on). */
    public static ImageDataset load(DataConfig config) throws DataException {
        Listing listing = list(config);
        ImageShape shape = new ImageShape(config.channels(), config.height(), config.width());
        float[] data = new float[listing.files().size() * shape.size()];
        for (int i = 0; i < listing.files().size(); i++) {
            decode(listing.files().get(i), shape, data, i * shape.size());
        }
        return new ImageDataset(listing.describe(), shape,
                Nd4j.create(data, new long[] {listing.files().size(), shape.size()}, 'c'), listing.labels());
    }

    /**
     * The image files of a folder, in name order (class by class when labelled).
     *
     * @param root the folder
     * @param files the image files
     * @param labels the class of each file, or null
     * @param classes the class names (subfolder names), empty without labels
     */
    record Listing(Path root, List<Path> files, int[] labels, List<String> classes) {
        String describe() {
            return TYPE + " " + root + " (" + files.size() + " images"
                    + (classes.isEmpty() ? "" : ", classes " + classes) + ")";
        }
    }

    /** Lists the images {@code config} names, checking that there are some. */
    static Listing list(DataConfig config) throws DataException {
        Path root = config.location();
        if (!Files.isDirectory(root)) {
            throw new DataException("data.location: " + root + " is not a directory of images");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        try {
            if (config.labels()) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(Files::isDirectory).sorted().forEach(d -> classes.add(d.getFileName().toString()));
                }
                if (classes.isEmpty()) {
                    throw new DataException(root + ": data.labels is true but the folder has no class subfolders");
                }
                for (int k = 0; k < classes.size(); k++) {
                    List<Path> inClass = images(root.resolve(classes.get(k)));
                    files.addAll(inClass);
                    for (int i = 0; i < inClass.size(); i++) {
                        labels.add(k);
                    }
                }
            } else {
                files.addAll(images(root));
            }
        } catch (IOException e) {
            throw new DataException(root + ": cannot list the folder: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new DataException(root + ": no image files (" + String.join(", ", EXTENSIONS) + ")");
        }
        if (config.limit() > 0 && files.size() > config.limit()) {
            files = files.subList(0, config.limit());
            labels = labels.isEmpty() ? labels : labels.subList(0, config.limit());
        }
        int[] lab = labels.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new Listing(root, List.copyOf(files), lab, List.copyOf(classes));
    }

    /** Decodes {@code file}, resized to {@code shape}, into {@code data} at {@code offset} as [-1, 1] CHW. */
    static void decode(Path file, ImageShape shape, float[] data, int offset) throws DataException {
        BufferedImage img;
        try {
            checkDimensions(file);
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": cannot decode the image: " + e.getMessage());
        }
        if (img == null) {
            throw new DataException(file + ": not an image ImageIO can decode (PNG, JPEG, BMP, GIF)");
        }
        write(resize(img, shape.width(), shape.height()), shape.channels(), data, offset);
    }

    /** Largest image side decoded (a header can claim any size; decoding 40000x40000 pixels takes 6 GB). */
    static final int MAX_SIDE = 8192;

    /** Reads the image's size from its header and refuses sides over {@link #MAX_SIDE} before decoding. */
    private static void checkDimensions(Path file) throws DataException, IOException {
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return; // not decodable: ImageIO.read says so below
            }
            var reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE) {
                    throw new DataException(file + ": the image header declares " + w + "x" + h + " pixels; at most "
                            + MAX_SIDE + " per side are decoded");
                }
            } finally {
                reader.dispose();
            }
        }
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return EXTENSIONS.stream().anyMatch(n::endsWith);
            }).sorted().toList();
        }
    }

    /** Centre crop to the target aspect ratio, then bilinear scaling to {@code w x h}, as RGB. */
    static BufferedImage resize(BufferedImage img, int w, int h) {
        int sw = img.getWidth();
        int sh = img.getHeight();
        double target = (double) w / h;
        int cw = sw;
        int ch = sh;
        if ((double) sw / sh > target) {
            cw = (int) Math.round(sh * target);
        } else {
            ch = (int) Math.round(sw / target);
        }
        int x0 = (sw - cw) / 2;
        int y0 = (sh - ch) / 2;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, x0, y0, x0 + cw, y0 + ch, null);
        g.dispose();
        return out;
    }

    /** Writes CHW values in [-1, 1]: grey is the Rec. 601 luma of RGB. */
    private static void write(BufferedImage rgb, int channels, float[] data, int offset) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int gr = (p >> 8) & 0xff;
                int b = p & 0xff;
                int i = y * w + x;
                if (channels == 1) {
                    data[offset + i] = (float) ((0.299 * r + 0.587 * gr + 0.114 * b) / 127.5 - 1);
                } else {
                    data[offset + i] = r / 127.5f - 1;
                    data[offset + plane + i] = gr / 127.5f - 1;
                    data[offset + 2 * plane + i] = b / 127.5f - 1;
                }
            }
        }
    }
}
