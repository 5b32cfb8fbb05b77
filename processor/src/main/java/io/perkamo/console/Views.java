package io.perkamo.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The console's templates (src/main/jte), compiled to classes at build time by
 * jte-maven-plugin: the jar needs no template compiler, and a template that does not match
 * its model fails the build, not a page. Each template takes one value of {@link Model}.
 */
final class Views {
    private static final String PACKAGE = "io.perkamo.console.jte";
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Views.class.getClassLoader(), PACKAGE);

    String render(String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template + ".jte", model, out);
        return out.toString();
    }
}
