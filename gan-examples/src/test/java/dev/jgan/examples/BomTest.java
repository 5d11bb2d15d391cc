package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** gan-bom pins the DL4J/ND4J, JavaCPP and OpenBLAS versions the build uses (it has no parent to read them from). */
class BomTest {

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    @Test
    void theBomPinsTheVersionsTheBuildUses() throws Exception {
        String parent = Files.readString(Path.of("..", "pom.xml"));
        String bom = Files.readString(Path.of("..", "gan-bom", "pom.xml"));
        String dl4j = property(parent, "dl4j.version");
        for (String a : new String[] {"deeplearning4j-nn", "nd4j-api", "nd4j-native", "nd4j-native-platform",
                "nd4j-cuda-11.6"}) {
            assertThat(bom).as(a).containsPattern("<artifactId>" + Pattern.quote(a) + "</artifactId><version>"
                    + Pattern.quote(dl4j) + "</version>");
        }
        assertThat(bom).contains("<artifactId>javacpp</artifactId><version>" + property(parent, "javacpp.version"));
        assertThat(bom).contains("<artifactId>openblas</artifactId><version>" + property(parent, "openblas.version"));
        assertThat(bom).doesNotContain("${dl4j.version}");
    }
}
