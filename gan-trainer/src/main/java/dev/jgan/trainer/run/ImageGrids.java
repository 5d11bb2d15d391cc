package dev.jgan.trainer.run;

import dev.jgan.trainer.data.IdxDatasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadataNode;

/** Writes batches of images in [-1, 1] as a PNG grid (ImageIO): grey for one channel, RGB for three. */
public final class ImageGrids {

    static {
        noImageIoCacheFiles();
    }

    private ImageGrids() {}

    /**
     * Makes ImageIO buffer encoded images in memory, not in cache files under {@code java.io.tmpdir}: a cache file
     * that a full disk cut short made ImageIO's "StreamCloser" shutdown thread fail with a NullPointerException and
     * a stack trace after the clear "disk is full" message. Images here are small (a grid, a chart).
     */
    public static void noImageIoCacheFiles() {
        ImageIO.setUseCache(false);
    }

    /**
     * Lays out {@code images} ({@code [n, C, H, W]}) in rows of {@code columns}, with a 2-pixel border, and writes a
     * PNG. Returns {@code file}.
     */
    public static Path writePng(INDArray images, int columns, Path file) throws IOException {
        BufferedImage grid = render(images, columns);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(grid, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /**
     * Writes {@code frames} as an animated GIF that loops forever, {@code delayMs} per frame (the JDK's GIF writer,
     * with the NETSCAPE2.0 looping extension). Returns {@code file}.
     */
    public static Path writeGif(List<BufferedImage> frames, int delayMs, Path file) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        var writer = ImageIO.getImageWritersByFormatName("gif").next();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return AtomicFiles.write(file, tmp -> writeGif(writer, frames, delayMs, tmp));
    }

    private static void writeGif(ImageWriter writer, List<BufferedImage> frames, int delayMs,
                                 Path tmp) throws IOException {
        try (var out = ImageIO.createImageOutputStream(Files.newOutputStream(tmp))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage rgb = new BufferedImage(frames.get(i).getWidth(), frames.get(i).getHeight(),
                        BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(frames.get(i), 0, 0, null);
                var type = ImageTypeSpecifier.createFromRenderedImage(rgb);
                var meta = writer.getDefaultImageMetadata(type, writer.getDefaultWriteParam());
                String format = meta.getNativeMetadataFormatName();
                var root = (IIOMetadataNode) meta.getAsTree(format);
                var gce = child(root, "GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
                gce.setAttribute("transparentColorIndex", "0");
                if (i == 0) {
                    var apps = child(root, "ApplicationExtensions");
                    var app = new IIOMetadataNode("ApplicationExtension");
                    app.setAttribute("applicationID", "NETSCAPE");
                    app.setAttribute("authenticationCode", "2.0");
                    app.setUserObject(new byte[] {1, 0, 0}); // loop forever
                    apps.appendChild(app);
                }
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(rgb, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode root,
                                                                String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        var node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** Renders the grid in memory, 2 pixels of black between and around the images. */
    public static BufferedImage render(INDArray images, int columns) {
        return render(images, columns, 2);
    }

    /** Renders the grid in memory with {@code pad} pixels between and around the images. */
    public static BufferedImage render(INDArray images, int columns, int pad) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException("expected [n, C, H, W] images, got rank " + images.rank());
        }
        int n = (int) images.size(0);
        int c = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("can draw 1- or 3-channel images, not " + c);
        }
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * (w + pad) + pad, rows * (h + pad) + pad,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        byte[] bytes = IdxDatasets.toBytes(images);
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = pad + (i % cols) * (w + pad);
            int y0 = pad + (i / cols) * (h + pad);
            int base = i * c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    int rgb;
                    if (c == 1) {
                        int v = bytes[base + p] & 0xff;
                        rgb = v << 16 | v << 8 | v;
                    } else {
                        rgb = (bytes[base + p] & 0xff) << 16 | (bytes[base + plane + p] & 0xff) << 8
                                | (bytes[base + 2 * plane + p] & 0xff);
                    }
                    out.setRGB(x0 + x, y0 + y, rgb);
                }
            }
        }
        return out;
    }
}
