package dev.jgan.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Early warnings of the usual GAN failures, from metrics and from D's scores. */
public final class Warnings {

    private Warnings() {}

    /** Mode collapse: few classes covered or a histogram far from uniform. */
    public static List<String> fromMetrics(SampleMetrics.Result r) {
        List<String> out = new ArrayList<>();
        if (r.modesCovered() <= 5 || r.klFromUniform() > 0.5) {
            out.add(String.format(Locale.ROOT, "possible mode collapse: %d of 10 digits covered, class histogram "
                    + "KL from uniform %.2f", r.modesCovered(), r.klFromUniform()));
        }
        return out;
    }

    /**
     * D winning outright: D(x) − D(G(z)) above 0.9 for {@code patience} epochs in a row at the end of
     * {@code gaps}.
     */
    public static List<String> fromScores(double[] realScores, double[] fakeScores, int patience) {
        List<String> out = new ArrayList<>();
        int run = 0;
        for (int i = 0; i < realScores.length; i++) {
            if (!Double.isFinite(realScores[i]) || !Double.isFinite(fakeScores[i])) {
                out.add("non-finite D scores at epoch " + (i + 1));
                return out;
            }
            run = realScores[i] - fakeScores[i] > 0.9 ? run + 1 : 0;
        }
        if (run >= patience) {
            out.add(String.format(Locale.ROOT, "D wins outright: D(x) - D(G(z)) > 0.9 for the last %d epochs; G "
                    + "gets little signal (try a lower D learning rate, label smoothing or another loss)", run));
        }
        return out;
    }
}
