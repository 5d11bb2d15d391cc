package dev.jgan.inference.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.conv.DcganGeneratorSpec.Upsampling;
import dev.jgan.inference.GeneratorModel;
import dev.jgan.inference.TestGenerators;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorServerTest {

    @TempDir
    Path dir;

    GeneratorModel model;
    GeneratorServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        var g = TestGenerators.randomised(TestGenerators.dcgan(4, Upsampling.TRANSPOSED, 3), 5);
        model = GeneratorModel.load(TestGenerators.save(g, dir.resolve("g.zip")));
        server = GeneratorServer.start(model, "127.0.0.1", 0, 1, 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
                        .timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aSampleIsAPngGridThatDependsOnSeedAndClass() throws Exception {
        var r = get("/api/sample?n=6&seed=3&columns=3");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        var img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(img.getWidth()).isEqualTo(3 * 14 + 2);
        assertThat(img.getHeight()).isEqualTo(2 * 14 + 2);
        assertThat(get("/api/sample?n=6&seed=3&columns=3").body()).isEqualTo(r.body());
        assertThat(get("/api/sample?n=6&seed=4&columns=3").body()).isNotEqualTo(r.body());
        assertThat(get("/api/sample?n=6&seed=3&columns=3&class=1").body()).isNotEqualTo(r.body());
        // the same images as the Java API
        assertThat(r.body()).isEqualTo(GeneratorModel.png(model.sample(6, 3), 3));
    }

    @Test
    void aWalkIsAStripOfFrames() throws Exception {
        var r = get("/api/walk?from=1&to=2&steps=5&path=linear");
        assertThat(r.statusCode()).isEqualTo(200);
        var img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(img.getWidth()).isEqualTo(5 * 12);
        assertThat(img.getHeight()).isEqualTo(12);
    }

    @Test
    void theCardIsJson() throws Exception {
        var r = get("/api/card");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).contains("\"num_classes\":3").contains("\"type\":\"dcgan\"");
    }

    @Test
    void badRequestsGetAOneLineJsonErrorAndTheServerStaysUp() throws Exception {
        String[][] cases = {
            {"/api/sample?n=257", "400", "n: expected an integer in [1, 256], got 257"},
            {"/api/sample?n=0", "400", "n: expected"},
            {"/api/sample?seed=-1", "400", "seed: expected an integer in [0, "},
            {"/api/sample?seed=abc", "400", "seed: expected an integer"},
            {"/api/sample?class=3", "400", "class: expected an integer in [0, 2], got 3"},
            {"/api/sample?colour=red", "400", "unknown parameter colour"},
            {"/api/sample?n=2&n=3", "400", "parameter n given twice"},
            {"/api/walk?steps=1", "400", "steps: expected an integer in [2, 64]"},
            {"/api/walk?path=zigzag", "400", "path: expected linear or spherical"},
            {"/nothing/here", "404", "no such path: /nothing/here"},
        };
        for (String[] c : cases) {
            var r = get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.headers().firstValue("Content-Type")).as(c[0]).hasValue("application/json");
            assertThat(text(r)).as(c[0]).startsWith("{\"error\":").contains(c[2]).doesNotContain("\n");
        }
        assertThat(get("/api/sample?n=4").statusCode()).isEqualTo(200);
    }

    @Test
    void whenEverySlotIsTakenTheAnswerIs503() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> first;
        synchronized (model) { // the one worker's request waits for the model; 50 ms lets it take its slot
            first = client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "api/sample?n=4")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long until = System.nanoTime() + 10_000_000_000L;
            HttpResponse<byte[]> second;
            do {
                Thread.sleep(50);
                second = get("/api/sample?n=4");
            } while (second.statusCode() == 200 && System.nanoTime() < until);
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(text(second)).contains("busy");
        }
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(get("/api/sample?n=4").statusCode()).isEqualTo(200);
    }
}
