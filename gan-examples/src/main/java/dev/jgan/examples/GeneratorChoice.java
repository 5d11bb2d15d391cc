package dev.jgan.examples;

import dev.jgan.dl4j.InvalidModelFileException;
import dev.jgan.inference.GeneratorModel;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which generator a command uses: a model file or a published one (exactly one of the two). */
final class GeneratorChoice {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE", description = "A generator file (generator.zip of a run).")
        Path model;

        @Option(names = "--pretrained", paramLabel = "NAME",
                description = "A published generator: mnist-dcgan, mnist-dcgan-conditional, fashion-mnist-dcgan.")
        String pretrained;
    }

    GeneratorModel load() throws InvalidModelFileException {
        return source.model != null ? GeneratorModel.load(source.model) : GeneratorModel.pretrained(source.pretrained);
    }

    /** What the user named, for messages. */
    String label() {
        return source.model != null ? source.model.toString() : source.pretrained;
    }
}
