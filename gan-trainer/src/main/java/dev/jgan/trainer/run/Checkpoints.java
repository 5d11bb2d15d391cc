package dev.jgan.trainer.run;

import dev.jgan.api.Trainable;

import dev.jgan.trainer.loop.TrainerState;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ModelMetadata;
import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Crash-safe checkpoints in {@code RUN_DIR/checkpoints/step-NNNNNNNNN/}: {@code generator.zip} and
 * {@code discriminator.zip} (parameters, optimizer state, counters), {@code state.json} ({@link TrainerState}) and
 * {@code manifest.json} (SHA-256 of each file). A checkpoint is written into a temporary folder, every file is
 * flushed to disk, and the folder is renamed into place, so a crash or a full disk leaves the previous checkpoints
 * as they were. Loading verifies the checksums and falls back to the next older checkpoint when one is damaged.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String PREFIX = "step-";
    private static final List<String> FILES = List.of("generator.zip", "discriminator.zip", "state.json");

    /**
     * A checkpoint read back.
     *
     * @param directory its folder
     * @param state the trainer's counters
     * @param generatorFile the generator (with optimizer state)
     * @param discriminatorFile the discriminator (with optimizer state)
     */
    public record Loaded(Path directory, TrainerState state, Path generatorFile, Path discriminatorFile) {

        /** The averaged generator parameters saved with this checkpoint, or null when EMA was off. */
        public INDArray averagedGenerator() throws IOException {
            Path f = directory.resolve(EMA_FILE);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
                return Nd4j.read(in);
            }
        }
    }

    /** Averaged generator parameters (ND4J binary), present when the run keeps an EMA of G. */
    static final String EMA_FILE = "generator-ema.bin";

    private final Path root;
    private final int keep;
    private final ObjectMapper json;
    private long lastWritten = -1;

    /**
     * @param runDirectory the run directory
     * @param keep how many checkpoints to keep (the newest)
     */
    public Checkpoints(Path runDirectory, int keep, ObjectMapper json) {
        this.root = runDirectory.resolve("checkpoints");
        this.keep = keep;
        this.json = json;
    }

    /** Writes a checkpoint of {@code state} and prunes old ones; returns its folder. */
    public Path write(Generator g, Discriminator d, TrainerState state, Map<String, Object> provenance)
            throws IOException {
        return write(g, d, null, state, provenance);
    }

    /** As above, also saving averaged generator parameters {@code ema} when not null. */
    public Path write(Generator g, Discriminator d, INDArray ema, TrainerState state, Map<String, Object> provenance)
            throws IOException {
        Path target = root.resolve(String.format("%s%09d", PREFIX, state.step()));
        if (state.step() == lastWritten && Files.isDirectory(target)) {
            return target;
        }
        if (!Double.isFinite(g.params().sumNumber().doubleValue())
                || !Double.isFinite(d.params().sumNumber().doubleValue())) {
            throw new IOException("refusing to checkpoint step " + state.step() + ": parameters are not finite");
        }
        Files.createDirectories(root);
        removeUnfinished();
        Path tmp = Files.createTempDirectory(root, ".tmp-");
        try {
            g.save(tmp.resolve("generator.zip"), new ModelMetadata(ModelMetadata.GENERATOR, g.type(),
                    g.latentSize(), g.imageShape(), ModelMetadata.FORMAT_VERSION, provenance, g.numClasses()));
            d.save(tmp.resolve("discriminator.zip"), new ModelMetadata(ModelMetadata.DISCRIMINATOR, d.type(),
                    0, d.imageShape(), ModelMetadata.FORMAT_VERSION, provenance, d.numClasses()));
            Files.writeString(tmp.resolve("state.json"), json.writeValueAsString(state), StandardCharsets.UTF_8);
            Map<String, String> manifest = new LinkedHashMap<>();
            for (String f : FILES) {
                manifest.put(f, sha256(tmp.resolve(f)));
            }
            if (ema != null) {
                try (var out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(tmp.resolve(EMA_FILE))))) {
                    Nd4j.write(ema, out);
                }
                sync(tmp.resolve(EMA_FILE));
                manifest.put(EMA_FILE, sha256(tmp.resolve(EMA_FILE)));
            }
            Files.writeString(tmp.resolve("manifest.json"), json.writeValueAsString(manifest),
                    StandardCharsets.UTF_8);
            for (String f : List.of("state.json", "manifest.json")) {
                sync(tmp.resolve(f));
            }
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            sync(root);
        } catch (IOException e) {
            throw new IOException("writing checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        lastWritten = state.step();
        prune();
        return target;
    }

    /**
     * A checkpoint restored into the networks.
     *
     * @param checkpoint the checkpoint, with the trainer's counters
     * @param averagedGenerator G's averaged parameters saved with it, or null when EMA was off
     */
    public record Restored(Loaded checkpoint, INDArray averagedGenerator) {

        /** The trainer's counters at the checkpoint. */
        public TrainerState state() {
            return checkpoint.state();
        }
    }

    /**
     * Restores the newest checkpoint that verifies and whose files {@code g} and {@code d} can load into them
     * (parameters, optimizer state, step counts), falling back to older ones when a checkpoint is damaged or its
     * files cannot be used, even if its manifest matches; adds "folder: why" to {@code skipped} for each passed over.
     * The one restore of resume, rollback and distributed resume.
     */
    public Optional<Restored> restoreLatest(Trainable g, Trainable d, List<String> skipped) throws IOException {
        for (Path dir : list()) {
            try {
                Loaded loaded = verify(dir);
                g.restore(loaded.generatorFile());
                d.restore(loaded.discriminatorFile());
                return Optional.of(new Restored(loaded, loaded.averagedGenerator()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("checkpoint {} cannot be used ({}); trying the previous one", dir, e.getMessage());
                skipped.add(dir.getFileName() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The newest checkpoint whose files verify, skipping (and reporting) damaged ones. */
    public Optional<Loaded> latest() throws IOException {
        for (Path dir : list()) {
            try {
                return Optional.of(verify(dir));
            } catch (IOException | RuntimeException e) {
                LOG.warn("checkpoint {} is damaged ({}); trying the previous one", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checkpoint folders, newest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        }
    }

    private Loaded verify(Path dir) throws IOException {
        Path manifestFile = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("no manifest.json");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> manifest = json.readValue(manifestFile.toFile(), Map.class);
        List<String> files = new ArrayList<>(FILES);
        if (manifest.containsKey(EMA_FILE)) {
            files.add(EMA_FILE);
        }
        for (String f : files) {
            String expected = manifest.get(f);
            if (expected == null || !Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("missing " + f);
            }
            String actual = sha256(dir.resolve(f));
            if (!actual.equals(expected)) {
                throw new IOException(f + " has SHA-256 " + actual + ", manifest says " + expected);
            }
        }
        TrainerState state = json.readValue(dir.resolve("state.json").toFile(), TrainerState.class);
        String name = dir.getFileName().toString();
        if (!name.equals(String.format(Locale.ROOT, PREFIX + "%09d", state.step()))) {
            throw new IOException("state.json says step " + state.step() + ", the folder " + name);
        }
        return new Loaded(dir, state, dir.resolve("generator.zip"), dir.resolve("discriminator.zip"));
    }

    /** Folders left by a checkpoint that a crash interrupted before its rename. */
    private void removeUnfinished() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(p);
            }
        }
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteTree(old);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sync(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(s.toList());
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
