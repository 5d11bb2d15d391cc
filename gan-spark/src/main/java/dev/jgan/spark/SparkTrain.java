package dev.jgan.spark;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.OutputConfig;
import dev.jgan.trainer.data.DataException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import dev.jgan.trainer.run.ResumeChecks;
import dev.jgan.trainer.run.Verification;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.jgan.trainer.run.RunStatus;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;

/**
 * The entry point to hand to {@code spark-submit}: trains a config with a {@code "spark"} section, or resumes a run
 * directory. Exit codes: 0 trained, 1 training failed, 2 bad input (config, data, arguments).
 */
@Command(name = "jgan-spark", mixinStandardHelpOptions = true, version = "jgan-spark 0.1.0",
        description = "Data-parallel GAN training on Apache Spark (parameter averaging).")
public final class SparkTrain implements Callable<Integer> {

    @Option(names = "--config", description = "Run config (JSON) with a \"spark\" section.")
    Path config;

    @Option(names = "--resume", description = "Continue this run directory from its newest checkpoint.")
    Path resume;

    @Option(names = "--max-steps", description = "Override training.max_steps (iterations per replica).")
    Long maxSteps;

    @Option(names = "--output", description = "Override output.directory (must be reachable by the driver).")
    Path output;

    @Option(names = "--data", paramLabel = "PATH", description = "Where every executor reads the IDX files: a "
            + "Hadoop path or URI (hdfs://HOST:PORT/mnist, file:///shared/mnist) or a local folder; overrides "
            + "spark.data (new runs only).")
    String data;

    @Option(names = "--master", description = "Spark master when not started by spark-submit (default local[2]).")
    String master;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrain()).execute(args));
    }

    @Override
    public Integer call() {
        if ((config == null) == (resume == null)) {
            System.err.println("jgan-spark: give exactly one of --config FILE and --resume RUN_DIR");
            return 2;
        }
        if (resume != null && data != null) {
            System.err.println("jgan-spark: --data applies to new runs; a resumed run reads the data it was "
                    + "started with (spark.data in its config.json)");
            return 2;
        }
        try {
            checkBeforeSpark();
        } catch (ConfigException | DataException e) {
            System.err.println("jgan-spark: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("jgan-spark: " + e.getMessage());
            return 1;
        }
        SparkConf conf = new SparkConf().setAppName("jgan");
        if (!conf.contains("spark.master")) {
            conf.setMaster(master != null ? master : "local[2]");
        }
        String refused = StandaloneMaster.unreachable(conf.get("spark.master"));
        refused = refused != null ? refused : StandaloneMaster.executorsCannotStart(conf);
        if (refused != null) {
            System.err.println("jgan-spark: " + refused);
            return 2;
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            DistributedTrainer trainer;
            if (resume != null) {
                trainer = DistributedTrainer.resume(spark, resume, this::override);
            } else {
                ConfigReader reader = new ConfigReader();
                DistributedConfig c = DistributedConfig.read(config, reader);
                trainer = new DistributedTrainer(spark, new DistributedConfig(override(c.gan()), override(c.spark())),
                        reader);
            }
            stopOnSignals(trainer);
            DistributedTrainer.Result r = trainer.train();
            if (r.status() == RunStatus.STOPPED) {
                System.out.println("stopped after " + r.step() + " iterations (checkpoint written); continue with: "
                        + "--resume " + r.directory());
            } else {
                System.out.println("trained " + r.step() + " iterations; run directory " + r.directory()
                        + "; generator " + r.generatorFile());
            }
            return 0;
        } catch (ConfigException | DataException e) {
            System.err.println("jgan-spark: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("jgan-spark: training failed: " + e);
            return 1;
        }
    }

    /**
     * What can be checked without a Spark context (which takes seconds to start): the config, an edited config on
     * resume, and IDX files on a local or shared file system. Data on HDFS, S3 and the like is checked once Spark
     * is up, before any run directory is made.
     */
    private void checkBeforeSpark() throws ConfigException, DataException, IOException {
        ConfigReader reader = new ConfigReader();
        DistributedConfig c;
        if (resume != null) {
            ResumeChecks.configUnchanged(resume, resume.resolve("config.json"), Verification.REQUIRED);
            c = DistributedConfig.read(resume.resolve("config.json"), reader);
        } else {
            c = DistributedConfig.read(config, reader);
            c = new DistributedConfig(c.gan(), override(c.spark()));
        }
        String data = c.spark().data();
        URI uri = data == null ? null : URI.create(data);
        if (uri != null && uri.getScheme() != null && !uri.getScheme().equals("file")
                && (uri.getAuthority() == null || uri.getAuthority().isEmpty())) {
            throw new ConfigException("config", "spark.data", "a Hadoop path with a host, like " + uri.getScheme()
                    + "://HOST:PORT/path, got \"" + data + "\"", null);
        }
        if (uri == null || uri.getScheme() == null || uri.getScheme().equals("file")) {
            DistributedTrainer.checkInput(new DistributedConfig(override(c.gan()), c.spark()),
                    new Configuration());
        }
    }

    /**
     * SIGINT and SIGTERM stop the run after the current round with a checkpoint (exit 0 and the resume line); a
     * second one ends the driver at once. {@code sun.misc.Signal} is the JDK's only way to handle a signal.
     */
    private static void stopOnSignals(DistributedTrainer trainer) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    if (received.incrementAndGet() == 1) {
                        System.err.println("jgan-spark: stopping after the current round and writing a checkpoint"
                                + "... (again to stop at once)");
                        trainer.requestStop();
                    } else {
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the platform keeps the signal: the driver ends as before
            }
        }
    }

    private SparkOptions override(SparkOptions s) {
        if (data == null) {
            return s;
        }
        URI uri = URI.create(data.replace('\\', '/').replace(" ", "%20"));
        boolean plainPath = uri.getScheme() == null || uri.getScheme().length() == 1; // a:/ is a Windows drive
        return s.withData(plainPath ? Path.of(data).toAbsolutePath().toUri().toString() : data);
    }

    private GanConfig override(GanConfig c) {
        GanConfig out = c;
        if (maxSteps != null) {
            var t = c.training();
            out = out.withTraining(t.withLimits(t.epochs(), maxSteps, t.maxSeconds()));
        }
        if (output != null) {
            out = out.withOutput(new OutputConfig(output, c.output().name()));
        }
        return out;
    }
}
