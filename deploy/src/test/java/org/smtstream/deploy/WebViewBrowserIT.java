package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.streams.ProcessorOptions;

/**
 * The live page in a real browser: the all-in-one pipeline replays the bundled clip in a loop while
 * Debian's headless Chromium, driven through Selenium, shows the page. The pictures must load at the
 * preview size and change, the SNR chart must gain points and the status line must count frames and
 * show a positive SNR. A screenshot is left in {@code target/screenshots/web-view.png}, also when the
 * test fails.
 *
 * <p>Nothing is downloaded: the browser and its driver are the system's ({@code apt-get install
 * chromium chromium-driver}), named explicitly so that Selenium Manager never runs; without them the
 * test is skipped. The page holds a server-sent event stream open, so it never becomes "idle": every
 * wait is for a value on the page, bounded by {@link #PAGE_TIMEOUT}.
 */
class WebViewBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String NOT_INSTALLED = "Chromium not installed: apt-get install chromium chromium-driver";
    /** Bound on each wait for the page: the pipeline's start, the first frames and the next ones, on two busy cores. */
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    /** Twice the clip's 10 fps: frames keep coming, previews change every 500 ms, two busy cores keep up. */
    private static final double SPEED = 2.0;
    private static final SmtConfig CONFIG = SmtConfig.fast();
    private static final List<String> KINDS = List.of("INPUT", "WHITENED", "RECONSTRUCTION_ALPHA");
    private static final Pattern FRAMES = Pattern.compile("(\\d+) frames");
    private static final Pattern SNR = Pattern.compile("SNR Φα (-?\\d+(?:\\.\\d+)?) dB");
    /** Grey levels a real picture spans at least; a blank (flat) one spans none. */
    private static final int MIN_CONTRAST = 32;
    private static final Pattern CAPTION_FRAME = Pattern.compile("frame (\\d+)");

    /** Everything the test reads from the page, in one script call. */
    private static final String READ_PAGE = """
            const chart = typeof echarts === 'undefined' ? null
                : echarts.getInstanceByDom(document.getElementById('chart-snr'));
            const option = chart ? chart.getOption() : null;
            const images = {};
            for (const kind of arguments[0]) {
              const img = document.getElementById('img-' + kind);
              let contrast = -1;  // grey levels between the darkest and the brightest pixel
              if (img.complete && img.naturalWidth > 0) {
                const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth;
                canvas.height = img.naturalHeight;
                const context = canvas.getContext('2d');
                context.drawImage(img, 0, 0);
                const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
                let min = 255, max = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                  min = Math.min(min, pixels[i]);
                  max = Math.max(max, pixels[i]);
                }
                contrast = max - min;
              }
              images[kind] = { src: img.getAttribute('src') || '', complete: img.complete,
                               naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                               contrast: contrast, caption: document.getElementById('cap-' + kind).textContent };
            }
            return { status: document.getElementById('status').textContent,
                     chartPoints: option && option.series.length ? option.series[0].data.length : -1,
                     images: images };
            """;

    @TempDir
    Path browserProfile;

    @Test
    void shouldShowLivePicturesChartAndStatusInTheBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), NOT_INSTALLED);

        AllInOne.Settings settings = new AllInOne.Settings(CONFIG, null, "it-browser", SPEED, true, 0,
                null, "127.0.0.1", 0, null, ProcessorOptions.defaults());
        try (AllInOne pipeline = AllInOne.start(settings)) {
            WebDriver browser = startBrowser();
            try {
                browser.get(pipeline.webUrl());
                WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT, POLL);

                Page first = waitFor(wait, "the first frames (all three pictures loaded, frames counted,"
                        + " SNR shown, chart points)", Page::showsData);
                Page later = waitFor(wait, "newer frames than " + first, page -> page.isNewerThan(first));

                for (String kind : KINDS) {
                    Picture picture = later.images().get(kind);
                    assertEquals(CONFIG.frameSize(), picture.naturalWidth(), kind + " picture width: " + picture);
                    assertEquals(CONFIG.frameSize(), picture.naturalHeight(), kind + " picture height: " + picture);
                    assertTrue(picture.contrast() >= MIN_CONTRAST, kind + " picture looks blank (grey levels span "
                            + picture.contrast() + " < " + MIN_CONTRAST + "): " + picture);
                }
                assertTrue(later.snrDb().orElseThrow() > 0, "SNR in the status line should be positive: "
                        + later.status());
                System.out.printf("WebViewBrowserIT: first %s%nWebViewBrowserIT: later %s%n", first, later);
            } finally {
                saveScreenshot(browser);
                browser.quit();
            }
        }
    }

    private ChromeDriver startBrowser() throws IOException {
        // Both paths given: Selenium Manager, which would look for (and download) a driver, never runs.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(targetDir().resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1100",
                // No network here: without these Chromium keeps calling home (updates, sync, QUIC probes).
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + browserProfile);
        return new ChromeDriver(service, options);
    }

    /** Polls the page until {@code condition} holds; on timeout the message says what the page showed. */
    private static Page waitFor(WebDriverWait wait, String what, Predicate<Page> condition) {
        AtomicReference<Page> last = new AtomicReference<>();
        wait.withMessage(() -> "The page did not show " + what + " within " + PAGE_TIMEOUT.toSeconds()
                + " s; it showed " + last.get());
        return wait.until(driver -> {
            Page page = read(driver);
            last.set(page);
            return condition.test(page) ? page : null;
        });
    }

    @SuppressWarnings("unchecked")
    private static Page read(WebDriver browser) {
        Map<String, Object> page = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(READ_PAGE, KINDS);
        Map<String, Map<String, Object>> images = (Map<String, Map<String, Object>>) page.get("images");
        return new Page((String) page.get("status"), ((Number) page.get("chartPoints")).intValue(),
                images.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Picture.of(e.getValue()))));
    }

    /** Leaves what the browser showed as a test artifact; a failure here must not hide the test's own. */
    private static void saveScreenshot(WebDriver browser) {
        try {
            Path file = targetDir().resolve("screenshots").resolve("web-view.png");
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            System.out.println("WebViewBrowserIT: screenshot " + file.toAbsolutePath());
        } catch (IOException | WebDriverException e) {
            System.err.println("WebViewBrowserIT: no screenshot: " + e);
        }
    }

    private static Path targetDir() throws IOException {
        Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
        Files.createDirectories(target);
        return target;
    }

    /** One picture element: its URL, whether it has loaded, its intrinsic size, its contrast and its caption. */
    record Picture(String src, boolean complete, int naturalWidth, int naturalHeight, int contrast, String caption) {

        static Picture of(Map<String, Object> js) {
            return new Picture((String) js.get("src"), (Boolean) js.get("complete"),
                    ((Number) js.get("naturalWidth")).intValue(), ((Number) js.get("naturalHeight")).intValue(),
                    ((Number) js.get("contrast")).intValue(), (String) js.get("caption"));
        }

        boolean isLoaded() {
            return !src.isEmpty() && complete && naturalWidth > 0;
        }

        OptionalLong frame() {
            Matcher m = CAPTION_FRAME.matcher(caption);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        }
    }

    /** What the page shows at one moment. */
    record Page(String status, int chartPoints, Map<String, Picture> images) {

        OptionalLong frames() {
            Matcher m = FRAMES.matcher(status);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        }

        OptionalDouble snrDb() {
            Matcher m = SNR.matcher(status);
            return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
        }

        boolean showsData() {
            return frames().isPresent() && snrDb().isPresent() && chartPoints > 0
                    && KINDS.stream().allMatch(kind -> images.get(kind).isLoaded() && images.get(kind).frame().isPresent());
        }

        /** More frames counted, more chart points, and every picture replaced by a later, loaded one. */
        boolean isNewerThan(Page before) {
            return showsData()
                    && frames().getAsLong() > before.frames().getAsLong()
                    && chartPoints > before.chartPoints
                    && KINDS.stream().allMatch(kind -> {
                        Picture now = images.get(kind);
                        Picture then = before.images.get(kind);
                        return !now.src.equals(then.src) && now.frame().getAsLong() > then.frame().getAsLong();
                    });
        }
    }
}
