package dev.jgan.metrics;

import dev.jgan.trainer.run.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.EpochEvent;
import dev.jgan.api.TrainingSummary;
import dev.jgan.trainer.run.RunListener;
import dev.jgan.trainer.run.RunOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.jgan.trainer.run.ImageGrids;
import java.nio.file.FileSystemException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code report.html} in a run directory, from the files the run writes: loss and D-score curves (JFreeChart PNGs
 * in {@code report/}), metrics over epochs, the per-epoch fixed-noise grids, warnings, config and provenance. As a
 * listener it regenerates the report after every epoch, when training ends, and once more when the run has ended
 * (final models saved, final metrics scored), saying how it ended.
 */
public final class RunReport implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

    static {
        ImageGrids.noImageIoCacheFiles();   // charts are PNGs written through ImageIO
    }
    private final Path dir;
    private final Set<String> warned = new HashSet<>();

    /** A report of {@code runDirectory}. */
    public RunReport(Path runDirectory) {
        this.dir = runDirectory;
    }

    @Override
    public void onEpoch(EpochEvent e) {
        writeQuietly();
    }

    @Override
    public void onEnd(TrainingSummary summary) {
        writeQuietly();
    }

    @Override
    public void onRunEnd(RunOutcome outcome) {
        writeQuietly();
    }

    private void writeQuietly() {
        try {
            write();
        } catch (IOException | RuntimeException ex) {
            LOG.warn("could not write the report: {}", ex.getMessage());
        }
    }

    /**
     * Checks that {@code dir} holds a run's files rather than placeholders: config.json a run config (an object with
     * generator and discriminator), provenance.json an object when present, each CSV log starting with its header.
     *
     * @throws IllegalArgumentException naming the file and what was expected
     */
    public static void checkRunDirectory(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(dir + ": not a run directory: it has no config.json");
        }
        JsonNode c = readJson(json, config);
        if (!c.isObject() || !c.has("generator") || !c.has("discriminator")) {
            throw new IllegalArgumentException(config + ": not a run's config: expected an object with generator "
                    + "and discriminator");
        }
        Path provenance = dir.resolve("provenance.json");
        if (Files.exists(provenance) && !readJson(json, provenance).isObject()) {
            throw new IllegalArgumentException(provenance + ": expected a JSON object");
        }
        for (String[] log : new String[][] {{"steps.csv", "step,epoch,"}, {"epochs.csv", "epoch,step,"}}) {
            Path f = dir.resolve(log[0]);
            if (Files.isRegularFile(f)) {
                String first;
                try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
                    first = lines.findFirst().orElse("");
                }
                if (!first.startsWith(log[1])) {
                    throw new IllegalArgumentException(f + ": expected a CSV log starting with the header " + log[1]
                            + "..., got '" + (first.length() > 60 ? first.substring(0, 60) + "..." : first) + "'");
                }
            }
        }
    }

    private static JsonNode readJson(ObjectMapper json, Path file) throws IOException {
        try {
            JsonNode node = json.readTree(file.toFile());
            return node == null ? json.missingNode() : node;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** Writes {@code report.html}; returns its path. */
    public Path write() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Files.createDirectories(dir.resolve("report"));
        List<double[]> steps = csv(dir.resolve("steps.csv"));
        List<double[]> epochs = csv(dir.resolve("epochs.csv"));
        List<JsonNode> metrics = jsonLines(dir.resolve("metrics.jsonl"));
        ObjectMapper json = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        List<String> charts = new ArrayList<>();
        if (!steps.isEmpty()) {
            int w = window(steps.size());
            charts.add(chart(out, "losses.png", "Losses per step", "step", "loss",
                    series("D loss", steps, 0, 2, w), series("G loss", steps, 0, 3, w)));
            charts.add(chart(out, "scores.png", "D(x) and D(G(z)) per step", "step", "mean D output",
                    series("D(x)", steps, 0, 4, w), series("D(G(z))", steps, 0, 5, w)));
        }
        if (!metrics.isEmpty()) {
            charts.add(chart(out, "frechet.png", "Frechet distance (lower is better)", "epoch", "FD",
                    metricSeries("FD", metrics, "frechet_distance")));
            charts.add(chart(out, "precision-recall.png", "Precision and recall (k = 3)", "epoch", "share",
                    metricSeries("precision", metrics, "precision"), metricSeries("recall", metrics, "recall"),
                    metricSeries("confident share", metrics, "confident_share")));
        }

        List<String> warnings = new ArrayList<>();
        if (!epochs.isEmpty()) {
            double[] real = epochs.stream().mapToDouble(r -> r[4]).toArray();
            double[] fake = epochs.stream().mapToDouble(r -> r[5]).toArray();
            warnings.addAll(Warnings.fromScores(real, fake, 3));
        }
        if (!metrics.isEmpty()) {
            SampleMetrics.Result last = json.treeToValue(metrics.get(metrics.size() - 1), SampleMetrics.Result.class);
            warnings.addAll(Warnings.fromMetrics(last));
        }
        for (String w : warnings) {
            if (warned.add(w.replaceAll("[0-9.]+", "#"))) {
                LOG.warn(w);
            }
        }

        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(dir.getFileName()
                .toString())).append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
                + "img.chart{width:520px;margin:4px}figure{display:inline-block;margin:6px;text-align:center}"
                + "figure img{width:160px;image-rendering:pixelated}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + ".warn{background:#fff3cd;border:1px solid #e0b000;padding:8px;margin:8px 0}"
                + "pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}</style></head><body>");
        h.append("<h1>").append(esc(dir.getFileName().toString())).append("</h1>");
        JsonNode provenance = Files.exists(dir.resolve("provenance.json"))
                ? json.readTree(dir.resolve("provenance.json").toFile()) : json.createObjectNode();
        String status = provenance.path("status").asText("");
        h.append("<p>").append(steps.size()).append(" steps, ").append(epochs.size()).append(" epochs, ")
                .append(status.isEmpty() ? "in progress" : "<b>" + esc(status) + "</b> ("
                        + esc(provenance.path("reason").asText("")) + ")").append("</p>");
        Path finalMetrics = dir.resolve(MetricsListener.FINAL_FILE);
        if (Files.exists(finalMetrics)) {
            JsonNode f = json.readTree(finalMetrics.toFile());
            SampleMetrics.Result r = json.treeToValue(f.path("generated"), SampleMetrics.Result.class);
            SampleMetrics.Result floor = json.treeToValue(f.path("real_data"), SampleMetrics.Result.class);
            h.append("<p class=\"final\"><b>Final sample quality</b>: ").append(esc(MetricsListener.summary(r,
                    floor))).append(String.format(Locale.ROOT, " · precision %.2f · confident %.2f",
                    r.precision(), r.confidentShare())).append("<br><small>").append(f.path("samples").asInt())
                    .append(" samples from fixed noise against the ").append(esc(f.path("reference").asText()))
                    .append(", in the feature space of the LeNet-5 of gan-metrics; \"real data\" scores as many "
                            + "training images the same way</small></p>");
        }
        for (String w : warnings) {
            h.append("<div class=\"warn\">&#9888; ").append(esc(w)).append("</div>");
        }
        for (String c : charts) {
            h.append("<img class=\"chart\" src=\"report/").append(c).append("\" alt=\"").append(c).append("\">");
        }
        if (!epochs.isEmpty()) {
            h.append("<h2>Epochs</h2><table><tr><th>epoch</th><th>step</th><th>D loss</th><th>G loss</th>"
                    + "<th>D(x)</th><th>D(G(z))</th><th>images/s</th><th>s</th></tr>");
            for (double[] r : epochs) {
                h.append(String.format(Locale.ROOT, "<tr><td>%.0f</td><td>%.0f</td><td>%.4f</td><td>%.4f</td>"
                        + "<td>%.3f</td><td>%.3f</td><td>%.0f</td><td>%.1f</td></tr>", r[0], r[1], r[2], r[3], r[4],
                        r[5], r[6], r[7]));
            }
            h.append("</table>");
        }
        if (!metrics.isEmpty()) {
            h.append("<h2>Metrics</h2><table><tr><th>epoch</th><th>FD</th><th>KD</th><th>classifier score</th>"
                    + "<th>modes</th><th>KL(uniform)</th><th>confident</th><th>precision</th><th>recall</th></tr>");
            for (JsonNode m : metrics) {
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.2f</td><td>%.4f</td><td>%.2f</td>"
                                + "<td>%d</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>",
                        m.path("epoch").asInt(), m.path("frechet_distance").asDouble(),
                        m.path("kernel_distance").asDouble(), m.path("classifier_score").asDouble(),
                        m.path("modes_covered").asInt(), m.path("kl_from_uniform").asDouble(),
                        m.path("confident_share").asDouble(), m.path("precision").asDouble(),
                        m.path("recall").asDouble()));
            }
            h.append("</table>");
        }
        h.append("<h2>Samples from fixed noise</h2>");
        try (Stream<Path> s = Files.exists(dir.resolve("samples")) ? Files.list(dir.resolve("samples"))
                : Stream.empty()) {
            for (Path p : s.map(Path::getFileName).sorted().toList()) {
                String name = p.toString();
                h.append("<figure><img src=\"samples/").append(esc(name)).append("\" alt=\"").append(esc(name))
                        .append("\"><figcaption>").append(esc(name.replace(".png", ""))).append("</figcaption></figure>");
            }
        }
        for (String f : List.of("config.json", "provenance.json")) {
            if (Files.exists(dir.resolve(f))) {
                h.append("<h2>").append(f).append("</h2><pre>")
                        .append(esc(Files.readString(dir.resolve(f), StandardCharsets.UTF_8))).append("</pre>");
            }
        }
        h.append("</body></html>\n");
        return AtomicFiles.writeString(dir.resolve("report.html"), h);
    }

    private static String chart(Path out, String file, String title, String x, String y, XYSeries... series)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false,
                false);
        AtomicFiles.write(out.resolve(file), tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 640, 360));
        return file;
    }

    /** Rows averaged per point: about 100 points or more, at most 25 rows each, every row of a short run. */
    static int window(int rows) {
        return Math.max(1, Math.min(25, rows / 100));
    }

    /** A series of column {@code yCol} against {@code xCol}, averaged over windows of {@code window} rows. */
    private static XYSeries series(String name, List<double[]> rows, int xCol, int yCol, int window) {
        XYSeries s = new XYSeries(name);
        for (int i = 0; i + window <= rows.size(); i += window) {
            double sum = 0;
            for (int j = i; j < i + window; j++) {
                sum += rows.get(j)[yCol];
            }
            s.add(rows.get(i + window - 1)[xCol], sum / window);
        }
        return s;
    }

    private static XYSeries metricSeries(String name, List<JsonNode> lines, String field) {
        XYSeries s = new XYSeries(name);
        for (JsonNode l : lines) {
            s.add(l.path("epoch").asDouble(), l.path(field).asDouble());
        }
        return s;
    }

    private static List<double[]> csv(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        if (!Files.isRegularFile(file)) {
            throw new FileSystemException(file.toString(), null, "not a file; expected the run's CSV log");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split(",");
            double[] r = new double[f.length];
            try {
                for (int i = 0; i < f.length; i++) {
                    r[i] = Double.parseDouble(f[i]);
                }
                rows.add(r);
            } catch (NumberFormatException torn) {
                // a row being written
            }
        }
        return rows;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(file)) {
            ObjectMapper json = new ObjectMapper();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(json.readTree(l));
                }
            }
        }
        return out;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
