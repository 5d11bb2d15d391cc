package dev.jgan.examples;

import dev.jgan.inference.serve.GeneratorServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.net.BindException;

/** {@code jgan serve}: a web page and HTTP API over one generator, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a generator: a page (samples by seed, class picker, latent walk, model card) and "
                + "GET /api/sample?n=16&seed=3&class=7 (PNG), /api/walk, /api/card (JSON). Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    GeneratorChoice generator;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}; 0: any free).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--workers", defaultValue = "2", description = "Requests generating at once (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queue", defaultValue = "32",
            description = "Requests that may wait beyond those; more get 503 (default ${DEFAULT-VALUE}).")
    int queue;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port: expected 0..65535, got " + port);
        }
        var model = generator.load();
        GeneratorServer server;
        try {
            server = GeneratorServer.start(model, host, port, workers, queue);
        } catch (BindException e) {
            throw new IllegalArgumentException("--port: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "jgan-serve-stop"));
        System.out.println("serving " + generator.label() + " at " + server.url() + " (Ctrl-C stops)");
        stopped.await();
        return 0;
    }
}
