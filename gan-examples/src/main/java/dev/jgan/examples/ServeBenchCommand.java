package dev.jgan.examples;

import dev.jgan.inference.serve.GeneratorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code jgan bench-serve}: a bounded load test of {@code jgan serve} on the loopback interface, server and clients
 * in this one process.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = {"Load-test the HTTP server on 127.0.0.1: CLIENTS concurrent clients each send REQUESTS "
                + "requests for N-image grids; prints latency percentiles, errors, throughput and this process's "
                + "resident memory before and after.", "Run it with nothing else using the CPU."})
final class ServeBenchCommand implements Callable<Integer> {

    @Mixin
    GeneratorChoice generator;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "200", description = "Requests per client (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--images", defaultValue = "16", paramLabel = "N",
            description = "Images per grid (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--workers", defaultValue = "2", description = "Server workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > 256 || requests < 1 || requests > 100_000) {
            throw new IllegalArgumentException("--clients: expected 1..256 and --requests 1..100000, got " + clients
                    + " and " + requests);
        }
        if (images < 1 || images > GeneratorServer.MAX_IMAGES) {
            throw new IllegalArgumentException("--images: expected 1.." + GeneratorServer.MAX_IMAGES + ", got "
                    + images);
        }
        var model = generator.load();
        long rssBefore = rssKb();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long wall;
        // every client may wait: a full queue would answer 503, which this test counts as an error
        try (GeneratorServer server = GeneratorServer.start(model, "127.0.0.1", 0, workers, clients)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            // one warm-up request per client, untimed
            for (int c = 0; c < clients; c++) {
                get(http, server, c);
            }
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < requests; r++) {
                        long t0 = System.nanoTime();
                        int status = get(http, server, (long) client * requests + r);
                        latencies.add(System.nanoTime() - t0);
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            wall = System.nanoTime() - start;
            pool.shutdown();
        }
        long rssAfter = rssKb();
        List<Long> sorted = latencies.stream().sorted().toList();
        int total = sorted.size();
        System.out.printf(Locale.ROOT, "%d clients x %d requests of %d-image grids (%s) on 127.0.0.1, %d workers%n",
                clients, requests, images, generator.label(), workers);
        System.out.printf(Locale.ROOT, "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", ms(sorted, 0.50),
                ms(sorted, 0.90), ms(sorted, 0.99), sorted.get(total - 1) / 1e6);
        System.out.printf(Locale.ROOT, "errors: %d of %d; %.1f requests/s, %.0f images/s; %.1f s in all%n",
                errors.get(), total, total / (wall / 1e9), total * (double) images / (wall / 1e9), wall / 1e9);
        System.out.printf(Locale.ROOT, "resident memory of this process (server and clients): %.0f MB before, "
                + "%.0f MB after%n", rssBefore / 1024.0, rssAfter / 1024.0);
        return errors.get() == 0 ? 0 : 1;
    }

    private int get(HttpClient http, GeneratorServer server, long seed) {
        var request = HttpRequest.newBuilder(URI.create(server.url() + "api/sample?n=" + images + "&seed=" + seed))
                .timeout(Duration.ofSeconds(60)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    /** VmRSS of this process from /proc (Linux), 0 elsewhere. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
