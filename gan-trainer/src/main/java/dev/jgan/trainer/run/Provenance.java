package dev.jgan.trainer.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers of {@link RunProvenance}: this library's version, the environment, hashes. */
public final class Provenance {

    private static final Properties VERSIONS = new Properties();

    static {
        try (InputStream in = Provenance.class.getResourceAsStream("/jgan/version.properties")) {
            if (in != null) {
                VERSIONS.load(in);
            }
        } catch (IOException ignored) {
            // versions stay "unknown"
        }
    }

    private Provenance() {}

    /** This library's version. */
    public static String libraryVersion() {
        return VERSIONS.getProperty("jgan.version", "unknown");
    }

    /** The environment part of a provenance record. */
    public static RunProvenance.Environment environment() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return new RunProvenance.Environment("jgan " + libraryVersion(), VERSIONS.getProperty("dl4j.version",
                "unknown"), Nd4j.getBackend().getClass().getSimpleName(), System.getProperty("java.vendor") + " "
                + System.getProperty("java.version"), System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), omp == null ? "unset" : omp);
    }

    /** SHA-256 of a string, hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
