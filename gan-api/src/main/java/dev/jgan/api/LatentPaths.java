package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;

/** Paths through latent space, for latent walks: {@code steps} points from {@code a} to {@code b}, both included. */
public final class LatentPaths {

    private LatentPaths() {}

    /** How to move between two latent points. */
    public enum Kind {
        /** Straight line: (1 − t)·a + t·b. */
        LINEAR,
        /**
         * Great-circle interpolation (slerp, White 2016): sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b with Ω the
         * angle between a and b; keeps the norm typical of Gaussian latents, which a straight line shrinks midway.
         */
        SPHERICAL
    }

    /** {@code [steps, size]}: the path from row vector {@code a} to {@code b} ({@code [1, size]} or {@code [size]}). */
    public static INDArray path(INDArray a, INDArray b, int steps, Kind kind) {
        if (steps < 2) {
            throw new IllegalArgumentException("a path needs at least 2 steps, got " + steps);
        }
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("end points of different sizes: " + a.length() + " and " + b.length());
        }
        INDArray x = a.reshape(1, a.length()).castTo(DataType.DOUBLE);
        INDArray y = b.reshape(1, b.length()).castTo(DataType.DOUBLE);
        double omega = 0;
        if (kind == Kind.SPHERICAL) {
            double cos = x.mul(y).sumNumber().doubleValue()
                    / Math.max(1e-12, x.norm2Number().doubleValue() * y.norm2Number().doubleValue());
            omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, steps, a.length());
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            double wa;
            double wb;
            if (kind == Kind.SPHERICAL && omega > 1e-6) {
                wa = Math.sin((1 - t) * omega) / Math.sin(omega);
                wb = Math.sin(t * omega) / Math.sin(omega);
            } else {
                wa = 1 - t;
                wb = t;
            }
            out.putRow(i, x.mul(wa).addi(y.mul(wb)));
        }
        return out.castTo(a.dataType());
    }
}
