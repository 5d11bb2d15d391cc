package dev.jgan.examples;

import dev.jgan.inference.onnx.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jgan export}: a generator as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a generator to ONNX (opset 13): input z [N, latent + classes] (noise, then a one-hot "
                + "class for conditional generators), output images [N, C, H, W] in [-1, 1]; N is dynamic."})
final class ExportCommand implements Callable<Integer> {

    @Mixin
    GeneratorChoice generator;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "Output format (default and only: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("onnx")) {
            throw new IllegalArgumentException("--format: expected onnx, got " + format);
        }
        generator.load().exportOnnx(out);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes, opset 13; input "
                + OnnxExport.INPUT + ", output " + OnnxExport.OUTPUT + ")");
        return 0;
    }
}
