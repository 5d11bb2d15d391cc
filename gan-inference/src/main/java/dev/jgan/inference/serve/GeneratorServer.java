package dev.jgan.inference.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jgan.api.LatentPaths;
import dev.jgan.inference.GeneratorModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Arrays;

/**
 * A web page and a small HTTP API over one {@link GeneratorModel}, on the JDK's own {@link HttpServer} (no extra
 * dependency; one page and four GET routes need no framework).
 *
 * <ul>
 *   <li>{@code GET /}: the page (sample grid with a seed, class picker, latent walk, model card);</li>
 *   <li>{@code GET /api/sample?n=16&seed=3&class=7&columns=4}: a PNG grid ({@code n} 1..{@value #MAX_IMAGES},
 *       {@code seed} ≥ 0, {@code class} only for conditional models);</li>
 *   <li>{@code GET /api/walk?from=1&to=2&steps=16&class=0&path=spherical}: a PNG strip of {@code steps} frames
 *       (2..{@value #MAX_STEPS}) side by side, from the first image of seed {@code from} to that of {@code to};</li>
 *   <li>{@code GET /api/card}: the model card as JSON.</li>
 * </ul>
 * A bad parameter is answered 400 and an unknown path 404, with {@code {"error": "..."}}; when
 * {@code workers + queue} requests are already in progress, 503 (the server stays up).
 */
public final class GeneratorServer implements AutoCloseable {

    /** Most images in one grid. */
    public static final int MAX_IMAGES = 256;
    /** Most frames in one walk. */
    public static final int MAX_STEPS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GeneratorModel model;
    private final HttpServer http;
    private final ExecutorService threads;
    private final Semaphore slots;

    private GeneratorServer(GeneratorModel model, HttpServer http, int workers, int queue) {
        this.model = model;
        this.http = http;
        this.slots = new Semaphore(workers + queue);
        this.threads = Executors.newFixedThreadPool(workers + queue + 2, r -> {
            Thread t = new Thread(r, "jgan-serve");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /**
     * Starts serving {@code model} on {@code host:port} (port 0 picks a free one).
     *
     * @param workers requests generating at once (they share the model's lock)
     * @param queue further requests that may wait; beyond that, 503
     */
    public static GeneratorServer start(GeneratorModel model, String host, int port, int workers, int queue)
            throws IOException {
        if (workers < 1 || queue < 0) {
            throw new IllegalArgumentException("expected workers >= 1 and queue >= 0, got " + workers + ", " + queue);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        GeneratorServer server = new GeneratorServer(model, http, workers, queue);
        http.start();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address. */
    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                error(ex, 405, "only GET is served, got " + ex.getRequestMethod());
                return;
            }
            switch (path) {
                case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page());
                case "/api/card" -> send(ex, 200, "application/json", JSON.writeValueAsBytes(model.card()));
                case "/api/sample", "/api/walk" -> generate(ex, path);
                default -> error(ex, 404, "no such path: " + path + " (try /, /api/sample, /api/walk, /api/card)");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("request {} failed: {}", ex.getRequestURI(), e.toString());
            try {
                error(ex, 500, "internal error: " + e.getMessage());
            } catch (IOException | RuntimeException ignored) {
                // the client has gone
            }
        }
    }

    private void generate(HttpExchange ex, String path) throws IOException {
        Map<String, String> q;
        byte[] png;
        try {
            q = query(ex.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
            return;
        }
        if (!slots.tryAcquire()) {
            error(ex, 503, "busy: too many requests in progress, try again");
            return;
        }
        try {
            png = path.equals("/api/sample") ? sample(q) : walk(q);
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
            return;
        } finally {
            slots.release();
        }
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, 200, "image/png", png);
    }

    private byte[] sample(Map<String, String> q) {
        known(q, "n", "seed", "class", "columns");
        int n = (int) number(q, "n", 16, 1, MAX_IMAGES);
        long seed = number(q, "seed", 1, 0, Long.MAX_VALUE);
        int columns = (int) number(q, "columns", (long) Math.ceil(Math.sqrt(n)), 1, MAX_IMAGES);
        Integer label = label(q);
        INDArray images = label == null ? model.sample(n, seed) : model.sample(n, seed, label);
        return GeneratorModel.png(images, columns);
    }

    private byte[] walk(Map<String, String> q) {
        known(q, "from", "to", "steps", "class", "path");
        long from = number(q, "from", 1, 0, Long.MAX_VALUE);
        long to = number(q, "to", 2, 0, Long.MAX_VALUE);
        int steps = (int) number(q, "steps", 16, 2, MAX_STEPS);
        String kind = q.getOrDefault("path", "spherical");
        LatentPaths.Kind path = switch (kind) {
            case "spherical" -> LatentPaths.Kind.SPHERICAL;
            case "linear" -> LatentPaths.Kind.LINEAR;
            default -> throw new IllegalArgumentException("path: expected linear or spherical, got " + kind);
        };
        Integer label = label(q);
        INDArray frames = label == null ? model.interpolate(from, to, steps, path)
                : model.interpolate(from, to, steps, path, label);
        return GeneratorModel.png(frames, steps, 0);
    }

    private Integer label(Map<String, String> q) {
        if (!q.containsKey("class")) {
            return null;
        }
        if (model.numClasses() == 0) {
            throw new IllegalArgumentException("class: this model is not conditional");
        }
        return (int) number(q, "class", 0, 0, model.numClasses() - 1);
    }

    private static void known(Map<String, String> q, String... names) {
        for (String k : q.keySet()) {
            if (!Arrays.asList(names).contains(k)) {
                throw new IllegalArgumentException("unknown parameter " + k + " (expected "
                        + String.join(", ", names) + ")");
            }
        }
    }

    private static long number(Map<String, String> q, String name, long fallback, long min, long max) {
        String v = q.get(name);
        if (v == null) {
            return fallback;
        }
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected an integer in [" + min + ", " + max + "], got '"
                    + v + "'");
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException(name + ": expected an integer in [" + min + ", " + max + "], got "
                    + x);
        }
        return x;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (q.put(k, v) != null) {
                throw new IllegalArgumentException("parameter " + k + " given twice");
            }
        }
        return q;
    }

    private static byte[] page() throws IOException {
        try (InputStream in = GeneratorServer.class.getResourceAsStream("page.html")) {
            if (in == null) {
                throw new IOException("page.html missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(Map.of("error", message)));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
