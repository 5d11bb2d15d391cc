package dev.jgan.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import org.apache.spark.SparkConf;

/**
 * A Spark standalone cluster on this machine for tests: a master and workers, each a child JVM running Spark's own
 * {@code Master} and {@code Worker} classes from the test class path (the jars Maven resolved, as
 * {@code scripts/spark-standalone.sh} does), executors launched by the workers as in production.
 */
final class StandaloneCluster implements AutoCloseable {

    private final Path home;
    private final String classPath;
    private final List<String> javaOptions;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    private final int uiPort;

    private StandaloneCluster(Path home, String classPath, List<String> javaOptions, Process master, String url,
                              int uiPort) {
        this.uiPort = uiPort;
        this.home = home;
        this.classPath = classPath;
        this.javaOptions = javaOptions;
        this.master = master;
        this.url = url;
    }

    /** Starts a master and {@code workers} workers of one core each, and waits until all have registered. */
    static StandaloneCluster start(Path home, int workers, List<String> javaOptions) throws Exception {
        List<String> entries = classPathEntries();
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String e : entries) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
            }
        }
        String cp = String.join(java.io.File.pathSeparator, entries);
        int port = freePort();
        int uiPort = freePort();
        Process master = launch(home, cp, javaOptions, "master", List.of("org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort)));
        StandaloneCluster cluster = new StandaloneCluster(home, cp, javaOptions, master,
                "spark://127.0.0.1:" + port, uiPort);
        try {
            awaitLog(home.resolve("master.log"), "I have been elected leader", 90);
            for (int i = 0; i < workers; i++) {
                cluster.workers.add(launch(home, cp, javaOptions, "worker-" + i, List.of(
                        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory",
                        "3g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                        home.resolve("work-" + i).toString(), cluster.url)));
            }
            for (int i = 0; i < workers; i++) {
                awaitLog(home.resolve("worker-" + i + ".log"), "Successfully registered with master", 90);
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** The port of the master's status pages. */
    int uiPort() {
        return uiPort;
    }

    /** The Spark conf of a driver in this JVM: one core per executor, the test class path on every executor. */
    SparkConf driverConf(int cores) {
        return new SparkConf().setMaster(url).setAppName("jgan-standalone-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.cores", "1").set("spark.cores.max", String.valueOf(cores))
                .set("spark.executor.memory", "2g").set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.executor.extraClassPath", classPath)
                .set("spark.executor.extraJavaOptions", String.join(" ", javaOptions));
    }

    /**
     * Kills the worker that launched the executor with process id {@code executorPid}, and that executor, as a lost
     * machine would be (no shutdown); returns the worker's index.
     */
    int killWorkerOf(long executorPid) throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            Process w = workers.get(i);
            if (w.descendants().anyMatch(p -> p.pid() == executorPid)) {
                w.descendants().forEach(ProcessHandle::destroyForcibly);
                w.destroyForcibly().waitFor();
                return i;
            }
        }
        throw new IllegalStateException("no worker launched process " + executorPid);
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }

    private static Process launch(Path home, String cp, List<String> javaOptions, String name, List<String> main)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(javaOptions);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static void awaitLog(Path log, String line, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(log + " did not say \"" + line + "\" within " + seconds + " s:\n"
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)"));
    }

    /** The test class path, expanded from surefire's manifest-only jar when it uses one. */
    static List<String> classPathEntries() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (e.endsWith(".jar") && Path.of(e).getFileName().toString().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(e)) {
                    String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : manifest.trim().split("\\s+")) {
                        out.add(Path.of(URI.create(url)).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return new ArrayList<>(out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
