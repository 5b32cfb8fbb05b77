package io.perkamo.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

import io.javalin.http.Context;

/**
 * {@code GET /openapi.json} (the API reference, a document kept next to this class; a test
 * holds it to the routes the server registers) and {@code /docs}: Swagger UI from the
 * {@code org.webjars:swagger-ui} jar on the class path, no CDN.
 */
final class DocsHandlers {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The files the page loads; nothing else of the webjar is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Perkamo API reference</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script src="/docs/swagger-ui-standalone-preset.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
              </script>
            </body>
            </html>
            """;

    private final byte[] document;
    private final String version;

    DocsHandlers() {
        this.document = resource("io/perkamo/api/openapi.json");
        this.version = webjarVersion();
    }

    void openapi(Context ctx) {
        Responses.json(ctx, 200, document);
    }

    void page(Context ctx) {
        ctx.header(RequestIds.HEADER, Responses.requestId(ctx));
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(PAGE);
    }

    void asset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            throw ApiError.notFound("not_found", "no such file");
        }
        ctx.header(RequestIds.HEADER, Responses.requestId(ctx));
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType(type);
        ctx.result(resource(WEBJAR + version + "/" + file));
    }

    private static String webjarVersion() {
        try (InputStream in = stream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = DocsHandlers.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing on the class path: " + name);
        }
        return in;
    }

}
