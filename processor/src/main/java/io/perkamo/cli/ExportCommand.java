package io.perkamo.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.perkamo.replay.Export;
import io.perkamo.schemas.registry.HttpSchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code perkamo export}: a Space's events, outcomes or profiles as JSON lines or an Avro container file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a Space's events, outcomes or profiles topic (read_committed) as JSON lines or an Avro"
                + " object container file, for DuckDB, Spark, pandas, or perkamo replay --input.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ControlOptions control;

    @Option(names = "--space", required = true, paramLabel = "<slug>")
    String space;

    @Option(names = "--topic", required = true, paramLabel = "events|outcomes|profiles")
    String topic;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|avro",
            description = "jsonl or avro (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (default: standard output).")
    Path out;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "The deployment's registry, to read Avro records (local mode: http://localhost:8081).")
    String schemaRegistryUrl;

    @Override
    public Integer call() {
        return control.execute(() -> {
            Export.Topic t = parse(Export.Topic::of, topic, "--topic must be events, outcomes or profiles");
            Export.Format f = parse(Export.Format::of, format, "--format must be jsonl or avro");
            OutputStream target = out == null ? System.out : new FileOutputStream(out.toFile());
            long n;
            try (OutputStream buffered = new BufferedOutputStream(target, 1 << 16)) {
                n = Export.write(control.bootstrapServers, space, t, f,
                        Optional.ofNullable(schemaRegistryUrl).map(HttpSchemaRegistryClient::new), buffered);
            }
            control.err().printf("exported %,d records of Space %s's %s topic%s%n", n, space,
                    t.name().toLowerCase(java.util.Locale.ROOT), out == null ? "" : " to " + out);
            control.err().flush();
        });
    }

    private static <T> T parse(java.util.function.Function<String, T> parser, String text, String message) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(message + ", not '" + text + "'");
        }
    }
}
