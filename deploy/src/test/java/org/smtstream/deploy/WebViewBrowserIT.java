package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.streams.ProcessorOptions;

/**
 * The live page in a real browser: the all-in-one pipeline replays the bundled clip in a loop while
 * Debian's headless Chromium, driven through Selenium, shows the page. It checks what a person
 * watching would: the four pictures load at the preview size and change; the SNR and curvature charts
 * gain points; the status bar shows frames, rate, latency, model version, lag, gaps, DLQ and rejected
 * updates; clicking another patch on a picture changes the trajectory plots; the dictionary's atom
 * grid and an affinity group render, needles lie over the atoms, the chosen atom's affinity group is
 * drawn as a needle plot, and the pager reaches the dictionary's last atom; the charts of the coding
 * objective and latency fill. A second stream (FFmpeg's test pattern, live) runs beside the clip: the
 * picker lists both, and picking it shows its own pictures and fills its charts while the model chart
 * stays. A screenshot is left in {@code target/screenshots/web-view.png}, also when the test fails.
 *
 * <p>After the first frames, each feature is checked on its own (all are reported, not only the
 * first to fail), since several depend on different parts of the processor: the reconstruction
 * from beta and its SNR, curvature, embeddings and {@code smt.model} versions.
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
    /** Pictures every processor version shows; the reconstruction from beta is checked on its own. */
    private static final List<String> KINDS = List.of("INPUT", "WHITENED", "RECONSTRUCTION_ALPHA");
    private static final String BETA_KIND = "RECONSTRUCTION_BETA";
    private static final String SECOND = "it-pattern";
    /** The pictures in image space (the whitening undone): C x, C Phi alpha and C Phi g(beta). */
    private static final List<String> IMAGE_SPACE_KINDS = List.of("UNWHITENED", "RECONSTRUCTION_ALPHA_UNWHITENED",
            "RECONSTRUCTION_BETA_UNWHITENED");
    /** The next-frame prediction's row: x_t, through beta, copy-last, pixel extrapolation (all of one frame). */
    private static final List<String> NEXT_PICTURES = List.of("next-target", "next-beta", "next-copy-last",
            "next-pixels");
    private static final List<String> ALL_KINDS = List.of("INPUT", "WHITENED", "RECONSTRUCTION_ALPHA", BETA_KIND,
            "UNWHITENED", "RECONSTRUCTION_ALPHA_UNWHITENED", "RECONSTRUCTION_BETA_UNWHITENED", "next-target",
            "next-beta", "next-copy-last", "next-pixels");
    private static final Pattern CAPTION_POOLED = Pattern.compile("SNR (-?\\d+(?:\\.\\d+)?) dB · pooled "
            + "(-?\\d+(?:\\.\\d+)?) dB");
    private static final Pattern CAPTION_SNR = Pattern.compile("SNR (-?\\d+(?:\\.\\d+)?) dB");
    private static final List<String> REPRESENTATIONS = List.of("PIXELS", "ALPHA", "BETA");
    private static final Pattern FRAMES = Pattern.compile("(\\d+) frames");
    private static final Pattern SNR = Pattern.compile("SNR Φα (-?\\d+(?:\\.\\d+)?) dB");
    private static final Pattern PATCH = Pattern.compile("patch (\\d+)");
    /** Status bar parts that must show a value, not a dash, once frames flow. */
    private static final List<String> STATUS_PARTS = List.of("st-fps", "st-latency", "st-model", "st-lag", "st-gaps",
            "st-faults", "st-blank", "st-dlq");
    /** Grey levels a real picture spans at least; a blank (flat) one spans none. */
    private static final int MIN_CONTRAST = 32;
    private static final Pattern CAPTION_FRAME = Pattern.compile("frame (\\d+)");
    /** Atoms per page of the dictionary grid (webroot/js/dictionary.js). */
    private static final int ATOMS_PER_PAGE = 256;

    /** Everything the test reads from the page, in one script call. */
    private static final String READ_PAGE = """
            function contrastOf(img) {  // grey levels between the darkest and the brightest pixel, -1 if not loaded
              if (!img || !img.complete || img.naturalWidth === 0) {
                return -1;
              }
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
              return max - min;
            }
            function chartOf(id) {
              return typeof echarts === 'undefined' ? null : echarts.getInstanceByDom(document.getElementById(id));
            }
            function finitePoints(id) {  // per series: points with a value (nulls are frames not measured)
              const chart = chartOf(id);
              if (!chart) {
                return [];
              }
              return chart.getOption().series.map(s => s.data.filter(p => p && p[1] !== null && isFinite(p[1])).length);
            }
            const images = {};
            for (const kind of arguments[0]) {
              const img = document.getElementById('img-' + kind);
              images[kind] = { src: img.getAttribute('src') || '', complete: img.complete,
                               naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                               contrast: contrastOf(img), caption: document.getElementById('cap-' + kind).textContent };
            }
            const trajectories = {};
            for (const r of arguments[1]) {
              const chart = chartOf('traj-' + r);
              const data = chart ? chart.getOption().series[0].data : [];
              trajectories[r] = JSON.stringify(data.map(p => [p[0], p[1]]));
            }
            const drawn = document.getElementById('traj-PIXELS').dataset.patch;
            const parts = {};
            document.querySelectorAll('#status span[id]').forEach(span => { parts[span.id] = span.textContent; });
            const atoms = document.getElementById('atoms');
            const groups = Array.from(document.querySelectorAll('img.group-tiles'));
            return { status: document.getElementById('status').textContent,
                     statusParts: parts,
                     chartPoints: finitePoints('chart-snr').length ? finitePoints('chart-snr')[0] : -1,
                     snrPoints: finitePoints('chart-snr'),
                     curvaturePoints: finitePoints('chart-curvature'),
                     patchCurvaturePoints: finitePoints('chart-patch-curvature'),
                     costPoints: finitePoints('chart-cost'),
                     codesPoints: finitePoints('chart-codes'),
                     modelPoints: finitePoints('chart-model'),
                     images: images,
                     trajectoryCaption: document.getElementById('traj-caption').textContent,
                     drawnPatch: drawn === undefined ? -1 : Number(drawn),
                     trajectories: trajectories,
                     atomsWidth: atoms.complete ? atoms.naturalWidth : 0,
                     atomsContrast: contrastOf(atoms),
                     groupsLoaded: groups.filter(g => g.complete && g.naturalWidth > 0).length,
                     pickerOptions: document.getElementById('stream-picker').options.length };
            """;

    /** The dictionary panel's needle overlay, pager, chosen atom and needle plot, as numbers. */
    private static final String READ_DICTIONARY = """
            const boxes = Array.from(document.querySelectorAll('#atoms-overlay svg[data-atom]'))
                .map(b => Number(b.getAttribute('data-atom')));
            const atoms = document.getElementById('atoms');
            const tile = document.getElementById('atom-tile');
            const single = document.querySelector('#atom-needle svg[data-atom]');
            return [boxes.length ? Math.min(...boxes) : -1, boxes.length ? Math.max(...boxes) : -1, boxes.length,
                    document.querySelectorAll('#atoms-overlay line.needle').length,
                    atoms.complete && atoms.naturalWidth > 0 ? 1 : 0,
                    document.getElementById('atoms-next').disabled ? 1 : 0,
                    Number(document.getElementById('atom-choice').value),
                    single ? Number(single.getAttribute('data-atom')) : -1,
                    tile.complete && tile.naturalWidth > 0 ? 1 : 0,
                    document.querySelectorAll('#atom-affinity line.needle').length];
            """;

    @TempDir
    Path browserProfile;

    @Test
    void shouldShowLivePicturesChartsTrajectoriesAndModelInTheBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), NOT_INSTALLED);

        // A second stream, live, that the page must show when picked: FFmpeg's test pattern, 2.5 frames/s
        // rendered at the replay's speed.
        List<AllInOne.Stream> streams = List.of(new AllInOne.Stream(null, "it-browser"),
                new AllInOne.Stream(SourceSpec.lavfi("testsrc2=size=320x240:rate=2.5"), SECOND));
        AllInOne.Settings settings = new AllInOne.Settings(CONFIG, streams, SPEED, true, 0, null, "127.0.0.1", 0,
                null, ProcessorOptions.defaults(), IngestSettings.AUTO_MAX_FRAME_AGE);
        try (AllInOne pipeline = AllInOne.start(settings)) {
            WebDriver browser = startBrowser();
            try {
                browser.get(pipeline.webUrl());
                WebDriverWait wait = new WebDriverWait(browser, PAGE_TIMEOUT, POLL);

                Page first = waitFor(wait, "the first frames (the three pictures every processor shows loaded,"
                        + " frames counted, SNR shown, chart points)", Page::showsData);
                Page later = waitFor(wait, "newer frames than " + first, page -> page.isNewerThan(first));
                System.out.printf("WebViewBrowserIT: first %s%nWebViewBrowserIT: later %s%n", first, later);

                assertAll(
                        () -> assertPicturesShowFrames(later),
                        () -> waitFor(wait, "the picker lists both streams", page -> page.pickerOptions() == 2),
                        () -> waitFor(wait, "a value in every part of the status bar " + STATUS_PARTS,
                                Page::statusComplete),
                        () -> waitFor(wait, "the reconstruction from beta (" + BETA_KIND + ") loaded with contrast",
                                page -> page.images().get(BETA_KIND).isLoaded()
                                        && page.images().get(BETA_KIND).contrast() >= MIN_CONTRAST),
                        () -> assertImageSpacePictures(wait),
                        () -> assertNextFramePrediction(wait),
                        () -> waitFor(wait, "points of SNR Φg(β) on the SNR chart",
                                page -> page.snrPoints().size() == 2 && page.snrPoints().get(1) > 0),
                        () -> assertChartGrows(wait, "curvature chart, " + REPRESENTATIONS, Page::curvaturePoints),
                        () -> waitFor(wait, "the chosen patch's curvature over time, a point on each of "
                                + REPRESENTATIONS, page -> page.patchCurvaturePoints().size() == REPRESENTATIONS.size()
                                && page.patchCurvaturePoints().stream().allMatch(n -> n > 0)),
                        () -> assertChartGrows(wait, "coding objective and latency chart", Page::costPoints),
                        () -> assertClickChangesTrajectory(browser, wait),
                        () -> waitFor(wait, "a path in the beta (embedding) trajectory plot",
                                page -> page.hasTrajectory("BETA")),
                        () -> waitFor(wait, "the dictionary's atom grid (16 tiles of 16 px across) with contrast",
                                page -> page.atomsWidth() == 16 * (CONFIG.patchSize() + 1) + 1
                                        && page.atomsContrast() >= MIN_CONTRAST),
                        () -> waitFor(wait, "an affinity group's row of atoms", page -> page.groupsLoaded() > 0),
                        () -> assertDictionaryPagesToItsLastAtomWithNeedles(browser, wait));
                assertSecondStreamShownWhenPicked(browser, wait);
            } finally {
                saveScreenshot(browser);
                browser.quit();
            }
        }
    }

    /**
     * The needles of the first page of atoms lie over its tiles and the chosen atom's affinity group is
     * drawn as a needle plot; the next-page button then reaches the last page, whose boxes end at the
     * dictionary's last atom, and clicking that atom shows it alone with its needle.
     */
    private static void assertDictionaryPagesToItsLastAtomWithNeedles(WebDriver browser, WebDriverWait wait) {
        int last = CONFIG.dictionarySize() - 1;
        waitFor(browser, wait, "needles over the first page of atoms (atoms 0 to 255) and the affinity needle plot "
                + "of atom 0", d -> d.overlayFirst() == 0 && d.overlayLast() == 255 && d.overlayNeedles() > 0
                && d.affinityNeedles() > 1);
        int pages = (last + ATOMS_PER_PAGE) / ATOMS_PER_PAGE;
        for (int page = 1; page < pages; page++) {
            browser.findElement(By.id("atoms-next")).click();
            int shown = page;
            waitFor(browser, wait, "page " + (page + 1) + " of the atoms after clicking next",
                    d -> d.overlayFirst() == shown * ATOMS_PER_PAGE && d.atomsLoaded());
        }
        Dictionary end = waitFor(browser, wait, "the last page ending at atom " + last + ", its next button disabled",
                d -> d.overlayLast() == last && d.nextDisabled() && d.overlayNeedles() > 0);
        assertEquals(last - (pages - 1) * ATOMS_PER_PAGE + 1, end.overlayBoxes(), "the last page is partial");
        new Actions(browser).moveToElement(browser.findElement(
                By.cssSelector("#atoms-overlay svg[data-atom='" + last + "'] rect"))).click().perform();
        waitFor(browser, wait, "atom " + last + " chosen by a click, drawn alone with its needle box",
                d -> d.chosen() == last && d.chosenBox() == last && d.chosenLoaded() && d.affinityNeedles() > 1);
    }

    /** What the dictionary panel shows: the page's needle overlay, the chosen atom and its needle plot. */
    record Dictionary(int overlayFirst, int overlayLast, int overlayBoxes, int overlayNeedles, boolean atomsLoaded,
                      boolean nextDisabled, int chosen, int chosenBox, boolean chosenLoaded, int affinityNeedles) {
    }


    @SuppressWarnings("unchecked")
    private static Dictionary waitFor(WebDriver browser, WebDriverWait wait, String what,
                                      Predicate<Dictionary> condition) {
        AtomicReference<Dictionary> last = new AtomicReference<>();
        wait.withMessage(() -> "The dictionary panel did not show " + what + " within " + PAGE_TIMEOUT.toSeconds()
                + " s; it showed " + last.get());
        return wait.until(driver -> {
            List<Integer> v = ints(((JavascriptExecutor) browser).executeScript(READ_DICTIONARY));
            Dictionary d = new Dictionary(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4) == 1, v.get(5) == 1,
                    v.get(6), v.get(7), v.get(8) == 1, v.get(9));
            last.set(d);
            return condition.test(d) ? d : null;
        });
    }

    /** Picks the second stream: its own pictures load, and its codes chart fills while the model chart stays. */
    private static void assertSecondStreamShownWhenPicked(WebDriver browser, WebDriverWait wait) {
        ((JavascriptExecutor) browser).executeScript("const p = document.getElementById('stream-picker');"
                + "p.value = arguments[0]; p.dispatchEvent(new Event('change'));", SECOND);
        Page shown = waitFor(wait, "the pictures of stream " + SECOND + " after picking it",
                page -> KINDS.stream().allMatch(k -> page.images().get(k).src().contains("/" + SECOND + "/")
                        && page.images().get(k).isLoaded()));
        assertAll(
                () -> assertPicturesShowFrames(shown),
                () -> assertChartGrows(wait, "sparsity and iterations chart of " + SECOND, Page::codesPoints),
                () -> waitFor(wait, "the model chart kept across the switch", page -> !page.modelPoints().isEmpty()
                        && page.modelPoints().stream().allMatch(n -> n > 0)),
                () -> waitFor(wait, "the status bar on " + SECOND, page -> page.status().contains("frame ")),
                () -> waitFor(wait, "no picture of the other stream left after the switch (Φg(β) of " + SECOND
                        + " or none)", page -> !page.images().get(BETA_KIND).src().contains("/it-browser/")));
    }

    /**
     * The bundled clip is Fourier-whitened, so every picture has its image-space twin: loaded, not
     * blank, and the reconstructions captioned with an SNR in image space.
     */
    private static void assertImageSpacePictures(WebDriverWait wait) {
        Page page = waitFor(wait, "the image-space pictures " + IMAGE_SPACE_KINDS + " loaded with contrast and SNRs",
                p -> IMAGE_SPACE_KINDS.stream().allMatch(k -> p.images().get(k).isLoaded()
                        && p.images().get(k).contrast() >= MIN_CONTRAST)
                        && CAPTION_SNR.matcher(p.images().get("RECONSTRUCTION_ALPHA_UNWHITENED").caption()).find()
                        && CAPTION_SNR.matcher(p.images().get("RECONSTRUCTION_BETA_UNWHITENED").caption()).find());
        for (String kind : IMAGE_SPACE_KINDS) {
            Picture picture = page.images().get(kind);
            assertEquals(CONFIG.frameSize(), picture.naturalWidth(), kind + ": " + picture);
        }
        Matcher snr = CAPTION_SNR.matcher(page.images().get("RECONSTRUCTION_ALPHA_UNWHITENED").caption());
        assertTrue(snr.find() && Double.parseDouble(snr.group(1)) > 0,
                "C Phi alpha resembles C x: " + page.images().get("RECONSTRUCTION_ALPHA_UNWHITENED"));
    }

    /**
     * The next-frame row: its four pictures loaded, of one frame, x_t with contrast, and the prediction
     * through beta captioned with its SNR on the frame and pooled.
     */
    private static void assertNextFramePrediction(WebDriverWait wait) {
        Page page = waitFor(wait, "the next-frame prediction's pictures " + NEXT_PICTURES
                        + " loaded, of one frame, x_t with contrast, Phi g(2 beta_{t-1} - beta_{t-2}) with its SNRs",
                p -> NEXT_PICTURES.stream().allMatch(k -> p.images().get(k).isLoaded())
                        && NEXT_PICTURES.stream().map(k -> captionFrame(p.images().get(k))).distinct().count() == 1
                        && p.images().get("next-target").contrast() >= MIN_CONTRAST
                        && CAPTION_POOLED.matcher(p.images().get("next-beta").caption()).find());
        for (String kind : NEXT_PICTURES) {
            assertEquals(CONFIG.frameSize(), page.images().get(kind).naturalWidth(), kind);
            assertTrue(captionFrame(page.images().get(kind)) >= 0, page.images().get(kind).toString());
        }
    }

    /** The frame a picture's caption names, -1 when it names none. */
    private static long captionFrame(Picture picture) {
        Matcher frame = CAPTION_FRAME.matcher(picture.caption());
        return frame.find() ? Long.parseLong(frame.group(1)) : -1;
    }

    private static void assertPicturesShowFrames(Page page) {
        for (String kind : KINDS) {
            Picture picture = page.images().get(kind);
            assertEquals(CONFIG.frameSize(), picture.naturalWidth(), kind + " picture width: " + picture);
            assertEquals(CONFIG.frameSize(), picture.naturalHeight(), kind + " picture height: " + picture);
            assertTrue(picture.contrast() >= MIN_CONTRAST, kind + " picture looks blank (grey levels span "
                    + picture.contrast() + " < " + MIN_CONTRAST + "): " + picture);
        }
        assertTrue(page.snrDb().orElseThrow() > 0, "SNR in the status line should be positive: " + page.status());
    }

    /** Every series of the chart has points, and then more of them. */
    private static void assertChartGrows(WebDriverWait wait, String what,
                                         Function<Page, List<Integer>> points) {
        Page before = waitFor(wait, "points on every series of the " + what,
                page -> !points.apply(page).isEmpty() && points.apply(page).stream().allMatch(n -> n > 0));
        waitFor(wait, "more points on every series of the " + what + " than " + points.apply(before),
                page -> {
                    List<Integer> now = points.apply(page);
                    List<Integer> then = points.apply(before);
                    return now.size() == then.size()
                            && IntStream.range(0, now.size()).allMatch(i -> now.get(i) > then.get(i));
                });
    }

    /**
     * The page starts on the centre patch; a click near the input picture's top-left corner picks
     * patch 0, and the pixel and code plots must then show that patch's (different) paths. Beta's plot
     * is checked on its own: it needs the processor's embeddings.
     */
    private static void assertClickChangesTrajectory(WebDriver browser, WebDriverWait wait) {
        Page before = waitFor(wait, "trajectory plots of the default patch with points",
                page -> page.drawnPatch() >= 0 && page.hasTrajectory("PIXELS") && page.hasTrajectory("ALPHA"));
        assertNotEquals(0, before.drawnPatch(), "the default patch is not the one to be clicked");
        var input = browser.findElement(By.id("img-INPUT"));
        int edge = input.getSize().getWidth();
        // Offsets are from the element's centre: this is a few pixels in from the top-left corner.
        new Actions(browser).moveToElement(input, -edge / 2 + 4, -edge / 2 + 4).click().perform();
        Page after = waitFor(wait, "the trajectory plots of patch 0 after the click (before: "
                        + before.trajectoryCaption() + ")",
                page -> page.patch().orElse(-1) == 0 && page.drawnPatch() == 0
                        && page.hasTrajectory("PIXELS") && page.hasTrajectory("ALPHA")
                        && !page.trajectories().get("PIXELS").equals(before.trajectories().get("PIXELS")));
        System.out.println("WebViewBrowserIT: trajectory " + before.trajectoryCaption() + " -> "
                + after.trajectoryCaption());
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
                // Tall enough that the screenshot holds the whole page: pictures, trajectories, charts, atoms.
                "--window-size=1400,2300",
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
        Map<String, Object> page = (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeScript(READ_PAGE, ALL_KINDS, REPRESENTATIONS);
        Map<String, Map<String, Object>> images = (Map<String, Map<String, Object>>) page.get("images");
        return new Page((String) page.get("status"), (Map<String, String>) page.get("statusParts"),
                ((Number) page.get("chartPoints")).intValue(), ints(page.get("snrPoints")),
                ints(page.get("curvaturePoints")), ints(page.get("patchCurvaturePoints")), ints(page.get("costPoints")),
                ints(page.get("codesPoints")), ints(page.get("modelPoints")),
                images.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Picture.of(e.getValue()))),
                (String) page.get("trajectoryCaption"), ((Number) page.get("drawnPatch")).intValue(),
                (Map<String, String>) page.get("trajectories"),
                ((Number) page.get("atomsWidth")).intValue(), ((Number) page.get("atomsContrast")).intValue(),
                ((Number) page.get("groupsLoaded")).intValue(), ((Number) page.get("pickerOptions")).intValue());
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ints(Object js) {
        return ((List<Number>) js).stream().map(Number::intValue).toList();
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

    /**
     * What the page shows at one moment. Chart counts are points with a value; trajectories are each
     * plot's points as JSON text, so two moments compare by equality; {@code drawnPatch} is the patch
     * whose paths the plots show (-1 before the first).
     */
    record Page(String status, Map<String, String> statusParts, int chartPoints, List<Integer> snrPoints,
                List<Integer> curvaturePoints, List<Integer> patchCurvaturePoints, List<Integer> costPoints,
                List<Integer> codesPoints,
                List<Integer> modelPoints, Map<String, Picture> images,
                String trajectoryCaption, int drawnPatch, Map<String, String> trajectories, int atomsWidth,
                int atomsContrast, int groupsLoaded, int pickerOptions) {

        OptionalLong frames() {
            Matcher m = FRAMES.matcher(status);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        }

        OptionalDouble snrDb() {
            Matcher m = SNR.matcher(status);
            return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
        }

        /** The patch chosen on the page (its caption). */
        OptionalInt patch() {
            Matcher m = PATCH.matcher(trajectoryCaption);
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        }

        boolean hasTrajectory(String representation) {
            String points = trajectories.get(representation);
            return points != null && points.startsWith("[[");
        }

        /** Every part of the status bar present and showing a value, not a dash. */
        boolean statusComplete() {
            return STATUS_PARTS.stream()
                    .allMatch(id -> statusParts.containsKey(id) && !statusParts.get(id).contains("–"));
        }

        boolean showsData() {
            return frames().isPresent() && snrDb().isPresent() && chartPoints > 0
                    && KINDS.stream()
                            .allMatch(kind -> images.get(kind).isLoaded() && images.get(kind).frame().isPresent());
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

        @Override
        public String toString() {
            return "Page[status=" + status + ", snrPoints=" + snrPoints + ", curvaturePoints=" + curvaturePoints
                    + ", patchCurvaturePoints=" + patchCurvaturePoints + ", costPoints=" + costPoints
                    + ", images=" + images + ", trajectory=" + trajectoryCaption + " "
                    + trajectories.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().length() + " chars")
                            .toList()
                    + ", atomsWidth=" + atomsWidth + ", atomsContrast=" + atomsContrast + ", groupsLoaded="
                    + groupsLoaded + ", pickerOptions=" + pickerOptions + "]";
        }
    }
}
