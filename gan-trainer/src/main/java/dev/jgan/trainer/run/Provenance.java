package dev.jgan.trainer.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** How a run was made: versions, machine, seed, config hash, data (after Tribuo's provenance). */
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
    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", "jgan " + libraryVersion());
        m.put("dl4j", VERSIONS.getProperty("dl4j.version", "unknown"));
        m.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        String omp = System.getenv("OMP_NUM_THREADS");
        m.put("omp_num_threads", omp == null ? "unset" : omp);
        return m;
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
