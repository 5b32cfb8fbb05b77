package io.perkamo.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Programs some tests need beside the JDK: Debian's chromium and chromedriver (browser tests),
 * node with the npm package standardwebhooks (the reference webhook verifier), php and a
 * checkout of the official PHP SDK. {@code .ci/run} installs them and sets {@value #REQUIRED_ENV}=1, so in CI
 * a missing tool fails its test; on a developer machine without them such a test is skipped
 * with a message saying what to install.
 */
public final class TestTools {
    /** Set (to anything) by .ci/run: every tool must be there. */
    public static final String REQUIRED_ENV = "PERKAMO_TEST_TOOLS_REQUIRED";
    /** A checkout of the official PHP SDK (GitHub Perkamo/php-sdk, tag v0.7.0); .ci/run fetches it. */
    public static final String PHP_SDK_ENV = "PERKAMO_PHP_SDK";
    /** Where .ci/run installs npm packages for tests ({@code npm install --prefix $dir}). */
    public static final String NPM_DIR_ENV = "PERKAMO_TEST_NPM_DIR";

    private TestTools() {
    }

    public static Path chromium() {
        return require("chromium", firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser"),
                "apt-get install chromium chromium-driver");
    }

    public static Path chromedriver() {
        return require("chromedriver", firstExisting("/usr/bin/chromedriver"), "apt-get install chromium-driver");
    }

    public static Path node() {
        return require("node", onPath("node"), "install Node.js 18+ (Debian: apt-get install nodejs)");
    }

    public static Path php() {
        return require("php", onPath("php"), "apt-get install php-cli");
    }

    /** The official PHP SDK's checkout (the folder holding src/Client.php). */
    public static Path phpSdk() {
        String dir = System.getenv(PHP_SDK_ENV);
        if (dir == null) {
            // fetched from GitHub, which CI may not reach: skipped (never required) when not given
            Assumptions.abort("the PHP SDK is not given (git clone --branch v0.7.0 https://github.com/Perkamo/php-sdk"
                    + " DIR and set " + PHP_SDK_ENV + "=DIR)");
        }
        Optional<Path> sdk = Optional.of(Path.of(dir)).filter(d -> Files.isRegularFile(d.resolve("src/Client.php")));
        return require("the PHP SDK", sdk, "git clone --branch v0.7.0 https://github.com/Perkamo/php-sdk DIR and set "
                + PHP_SDK_ENV + "=DIR");
    }

    /** The node_modules folder holding {@code pkg}, for NODE_PATH. */
    public static Path npmPackage(String pkg) {
        String dir = System.getenv(NPM_DIR_ENV);
        Optional<Path> modules = Optional.ofNullable(dir).map(d -> Path.of(d, "node_modules"))
                .filter(m -> Files.isDirectory(m.resolve(pkg)));
        return require("npm package " + pkg, modules, "npm install --prefix DIR " + pkg + " and set "
                + NPM_DIR_ENV + "=DIR");
    }

    private static Path require(String what, Optional<Path> found, String install) {
        if (found.isPresent()) {
            return found.get();
        }
        String message = what + " is not installed (" + install + "; .ci/run does this)";
        if (System.getenv(REQUIRED_ENV) != null) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> firstExisting(String... paths) {
        return List.of(paths).stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
