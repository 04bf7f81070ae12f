package io.github.ser4j.examples.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Headless Chromium through the system chromedriver (Debian packages {@code chromium} and {@code chromium-driver}),
 * never a downloaded one. Override the executables with the environment variables {@code SER4J_CHROMIUM} and
 * {@code SER4J_CHROMEDRIVER}.
 */
public final class Browser {
    /** Held so that the setting survives garbage collection: Selenium's CDP-version warnings are noise here. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private Browser() {
    }

    /** @return the Chromium executable, if installed */
    public static Optional<Path> chromium() {
        return find("SER4J_CHROMIUM", List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"));
    }

    /** @return the chromedriver executable, if installed */
    public static Optional<Path> chromedriver() {
        return find("SER4J_CHROMEDRIVER", List.of("chromedriver"));
    }

    /**
     * @param userDataDir a fresh, empty folder for the profile
     * @return a headless browser with a fake microphone (a beep) that needs no permission prompt
     */
    public static ChromeDriver start(Path userDataDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir,
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1200,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> find(String env, List<String> names) {
        String override = System.getenv(env);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
