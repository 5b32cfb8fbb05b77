package io.perkamo.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

import io.javalin.http.Context;

/**
 * The console's styles and scripts, served by this process from the jar (htmx from its
 * webjar): no CDN, nothing fetched at run time. A fixed list of names, so no path reaches
 * anything else on the classpath. Public: the sign-in page needs them, and they hold no data.
 */
final class Assets {
    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets;

    Assets() {
        String htmx = "META-INF/resources/webjars/htmx.org/" + webjarVersion("htmx.org") + "/dist/htmx.min.js";
        assets = Map.of(
                "console.css", load("io/perkamo/console/assets/console.css", "text/css; charset=utf-8"),
                "console.js", load("io/perkamo/console/assets/console.js", "text/javascript; charset=utf-8"),
                "htmx.min.js", load(htmx, "text/javascript; charset=utf-8"));
    }

    void serve(Context ctx) {
        Asset a = assets.get(ctx.pathParam("name"));
        if (a == null) {
            Web.html(ctx, 404, "not found");
            return;
        }
        Web.securityHeaders(ctx);
        ctx.header("cache-control", "public, max-age=3600");
        ctx.contentType(a.contentType());
        ctx.result(a.bytes());
    }

    private static String webjarVersion(String artifact) {
        String path = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " webjar is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset load(String path, String contentType) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("console asset missing from the jar: " + path);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
