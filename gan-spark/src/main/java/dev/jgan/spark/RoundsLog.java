package dev.jgan.spark;

import dev.jgan.trainer.run.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/** {@code rounds.csv} of a distributed run: one row per averaging round, each written as the round ends. */
final class RoundsLog {

    private static final String HEADER = "round,step,d_loss,g_loss,d_real,d_fake,wall_s,compute_s,comm_s,"
            + "bytes_sent,bytes_returned\n";

    private final Path file;

    private RoundsLog(Path file) {
        this.file = file;
    }

    /**
     * The log of run directory {@code dir}: a new one, or on resume the existing one without the rows of rounds past
     * {@code step}, the checkpoint the run goes on from (they are trained again).
     */
    static RoundsLog open(Path dir, boolean resuming, long step) throws IOException {
        Path file = dir.resolve("rounds.csv");
        if (!Files.exists(file)) {
            Files.writeString(file, HEADER, StandardCharsets.UTF_8);
        } else if (resuming) {
            keepRoundsUpTo(file, step);
        }
        return new RoundsLog(file);
    }

    void append(DistributedTrainer.Round r) throws IOException {
        Files.writeString(file, String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%d,%d%n",
                r.round(), r.step(), r.discriminatorLoss(), r.generatorLoss(), r.realScore(), r.fakeScore(),
                r.wallSeconds(), r.computeSeconds(), r.wallSeconds() - r.computeSeconds(), r.bytesSent(),
                r.bytesReturned()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void keepRoundsUpTo(Path file, long step) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder(lines.isEmpty() ? HEADER : lines.get(0) + "\n");
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split(",");
            try {
                if (f.length > 1 && Long.parseLong(f[1]) <= step) {
                    kept.append(line).append('\n');
                }
            } catch (NumberFormatException torn) {
                // a row cut by a crash
            }
        }
        AtomicFiles.writeString(file, kept);
    }
}
