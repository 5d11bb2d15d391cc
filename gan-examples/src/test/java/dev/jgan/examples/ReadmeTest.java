package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README is a test: every block a user is meant to run is the text of a file the build compiles and runs (the
 * quickstart project, which maven-invoker-plugin builds and runs against the installed jars) or of {@code .ci/run};
 * every other block says it is illustrative.
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");

    private static List<String> readme() throws Exception {
        return Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyBlockIsRunByTheBuildOrMarkedIllustrative() throws Exception {
        assertThat(ReadmeBlocks.problems(readme(), ROOT)).isEmpty();
    }

    @Test
    void theRunBlocksCoverTheQuickstartProgramsTheDependenciesAndBothReadmeCommands() throws Exception {
        List<String> targets = ReadmeBlocks.parse(readme()).stream().map(ReadmeBlocks.Block::marker).toList();
        assertThat(targets).contains(
                "<!-- ci: examples/quickstart/src/main/java/com/example/Quickstart.java -->",
                "<!-- ci: examples/quickstart/src/main/java/com/example/OwnLoop.java -->",
                "<!-- ci: examples/quickstart/src/main/java/com/example/CustomNetwork.java -->",
                "<!-- ci: examples/quickstart/pom.xml -->",
                "<!-- ci: .ci/run -->");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("./mvnw -B verify")
                .contains("./jgan train --config examples/mnist-dcgan-conditional.json");
    }

    @Test
    void aSnippetEditedToBeWrongIsReported() throws Exception {
        List<String> edited = new ArrayList<>(readme());
        int i = edited.indexOf("        GanRun run = GanRun.fromExample(\"mnist-dense\");           "
                + "// examples/mnist-dense.json, inside gan-trainer");
        assertThat(i).as("the quickstart's first statement in README.md").isPositive();
        edited.set(i, edited.get(i).replace("mnist-dense", "mnist-dense-v2"));
        assertThat(ReadmeBlocks.problems(edited, ROOT)).singleElement().asString()
                .contains("README.md:").contains("not in examples/quickstart/src/main/java/com/example/Quickstart.java")
                .contains("mnist-dense-v2");
    }

    @Test
    void aBlockWithoutAMarkerIsReported() throws Exception {
        List<String> readme = List.of("# x", "", "```bash", "./jgan train --config x.json", "```",
                "<!-- illustrative: needs a cluster -->", "```bash", "spark-submit", "```", "```", "output", "```");
        assertThat(ReadmeBlocks.problems(readme, ROOT)).containsExactly("README.md:3: a ```bash block without a "
                + "marker line before it (<!-- ci: FILE --> or <!-- illustrative: WHY -->)");
    }
}
