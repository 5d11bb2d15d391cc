package dev.jgan.api;

import java.util.Random;

/**
 * Seeded orders and seeds: every random draw of a run derives from (run seed, counter), so runs repeat and resume
 * exactly, whatever the source of the images.
 */
public final class EpochOrder {

    private EpochOrder() {}

    /** SplitMix64 finaliser of (a, b): well-spread seeds from a run seed and a counter. */
    public static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The order of epoch {@code epoch}: a permutation of {@code [0, n)}, a function of the seed and epoch only. */
    public static int[] permutation(long seed, int n, int epoch) {
        return permutation(n, new Random(mix(seed ^ 0x5DEECE66DL, epoch)));
    }

    /** A permutation of {@code [0, n)} drawn from {@code order} (Fisher–Yates). */
    public static int[] permutation(int n, Random order) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
