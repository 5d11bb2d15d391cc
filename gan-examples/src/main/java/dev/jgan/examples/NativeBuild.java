package dev.jgan.examples;

import org.nd4j.nativeblas.NativeOpsHolder;

/** Which libnd4j build this process runs on. */
final class NativeBuild {

    private NativeBuild() {}

    private static final String[] LEVELS = {"none", "generic x86-64", "AVX2", "AVX512"};

    static String describe() {
        try {
            var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            String info = ops.buildInfo().replace('\n', ' ').trim();
            return "binary " + level(ops.binaryLevel()) + ", CPU optimal " + level(ops.optimalLevel())
                    + (info.contains("ONEDNN") || info.contains("oneDNN") || info.contains("MKLDNN") ? ", oneDNN" : "")
                    + " (" + (info.length() > 160 ? info.substring(0, 160) + "..." : info) + ")";
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String level(int l) {
        return l >= 0 && l < LEVELS.length ? LEVELS[l] : String.valueOf(l);
    }
}
