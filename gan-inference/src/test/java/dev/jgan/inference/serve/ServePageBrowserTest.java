package dev.jgan.inference.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.conv.DcganGeneratorSpec.Upsampling;
import dev.jgan.inference.GeneratorModel;
import dev.jgan.inference.TestGenerators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page of {@code jgan serve} in headless Chromium, driven by Selenium: it loads, shows a grid, reacts to the
 * class picker, plays the walk and shows a bad parameter's error. Needs {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (Debian packages chromium and chromium-driver, installed by {@code .ci/run}); set
 * {@code JGAN_SCREENSHOT} to a file to keep a screenshot.
 */
class ServePageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    GeneratorServer server;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "headless Chromium not installed (apt-get install -y chromium chromium-driver)");
        var g = TestGenerators.randomised(TestGenerators.dcgan(4, Upsampling.TRANSPOSED, 3), 5);
        server = GeneratorServer.start(GeneratorModel.load(TestGenerators.save(g, dir.resolve("g.zip"))),
                "127.0.0.1", 0, 2, 8);
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thePageShowsAGridReactsToTheClassPlaysTheWalkAndShowsErrors() throws Exception {
        browser.get(server.url());
        WebElement grid = browser.findElement(By.id("grid"));
        wait.until(b -> loaded(grid));
        assertThat(((Number) js("return arguments[0].naturalWidth", grid)).intValue()).isEqualTo(4 * 14 + 2);
        assertThat(browser.findElement(By.id("card")).getText()).contains("\"num_classes\": 3");
        String before = grid.getAttribute("src");
        String pixelsBefore = pixels(grid);
        assertThat(java.util.Arrays.stream(pixelsBefore.split("(?<=\\G..)")).distinct().count())
                .as("distinct grey levels of a non-empty image").isGreaterThan(3);

        new Select(browser.findElement(By.id("class"))).selectByValue("2");
        wait.until(b -> !grid.getAttribute("src").equals(before) && loaded(grid));
        assertThat(grid.getAttribute("src")).contains("class=2");
        assertThat(pixels(grid)).isNotEqualTo(pixelsBefore);

        WebElement frame = browser.findElement(By.id("walk-frame"));
        String first = frame.getText();
        wait.until(b -> !frame.getText().equals(first));
        String second = frame.getText();
        wait.until(b -> !frame.getText().equals(second));

        if (System.getenv("JGAN_SCREENSHOT") != null) {
            Files.write(Path.of(System.getenv("JGAN_SCREENSHOT")), browser.getScreenshotAs(OutputType.BYTES));
        }

        WebElement seed = browser.findElement(By.id("seed"));
        seed.clear();
        seed.sendKeys("-5");
        js("arguments[0].dispatchEvent(new Event('change'))", seed);
        wait.until(b -> !b.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).contains("seed: expected an integer in [0, ");
    }

    private boolean loaded(WebElement img) {
        return Boolean.TRUE.equals(js("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
    }

    /** The image's pixels as drawn by the browser (a data URL of a canvas copy). */
    private String pixels(WebElement img) {
        return (String) js("const c = document.createElement('canvas'); c.width = arguments[0].naturalWidth;"
                + "c.height = arguments[0].naturalHeight; const x = c.getContext('2d'); x.drawImage(arguments[0], 0, 0);"
                + "return Array.from(x.getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 == 0))"
                + ".map(v => v.toString(16).padStart(2, '0')).join('');", img);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }
}
