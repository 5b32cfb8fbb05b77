package io.perkamo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The build's evolution guard: every schema in src/main/avro must read data written with
 * its released version (src/test/resources/released), because old records stay on the
 * topics and in the changelogs for ever.
 */
class SchemaEvolutionTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path CURRENT = BASEDIR.resolve("src/main/avro");
    private static final Path RELEASED = BASEDIR.resolve("src/test/resources/released");

    @TestFactory
    Stream<DynamicTest> everyCurrentSchemaShouldReadDataWrittenWithItsReleasedVersion() throws IOException {
        List<Path> current = avscFiles(CURRENT);
        assertThat(current).as("schemas in %s", CURRENT).isNotEmpty();
        return current.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Path released = RELEASED.resolve(file.getFileName());
            if (!Files.exists(released)) {
                return; // a new schema has no released data yet
            }
            Optional<String> problem = incompatibility(file.getFileName().toString(), parse(released), parse(file));
            assertThat(problem).as("backward compatibility of %s", file.getFileName()).isEmpty();
        }));
    }

    @Test
    void shouldKeepAReleasedBaselineForEveryCurrentSchema() throws IOException {
        // Deleting a baseline would silently switch the guard off for that schema.
        List<String> current = avscFiles(CURRENT).stream().map(p -> p.getFileName().toString()).toList();
        List<String> released = avscFiles(RELEASED).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(current).containsAll(released);
        assertThat(released).containsAll(current);
    }

    @Test
    void shouldRejectANewFieldWithoutDefault() throws IOException {
        Schema released = parse(RELEASED.resolve("Input.avsc"));
        Schema breaking = withExtraField(released, "{\"name\": \"channel\", \"type\": \"string\"}");

        Optional<String> problem = incompatibility("Input.avsc", released, breaking);

        assertThat(problem).hasValueSatisfying(message -> assertThat(message)
                .contains("Input.avsc").contains("channel").contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
    }

    @Test
    void shouldAcceptANewFieldWithDefault() throws IOException {
        Schema released = parse(RELEASED.resolve("Input.avsc"));
        Schema evolved = withExtraField(released,
                "{\"name\": \"channel\", \"type\": [\"null\", \"string\"], \"default\": null}");

        assertThat(incompatibility("Input.avsc", released, evolved)).isEmpty();
    }

    @Test
    void shouldRejectAChangedFieldType() throws IOException {
        Schema released = parse(RELEASED.resolve("Outcome.avsc"));
        String json = released.toString().replace(
                "{\"name\":\"program_version\",\"type\":\"long\"", "{\"name\":\"program_version\",\"type\":\"string\"");
        assertThat(json).isNotEqualTo(released.toString());

        Optional<String> problem = incompatibility("Outcome.avsc", released, new Schema.Parser().parse(json));

        assertThat(problem).hasValueSatisfying(message -> assertThat(message).contains("program_version"));
    }

    @Test
    void shouldRejectARemovedEnumSymbolWithoutDefault() throws IOException {
        Schema released = parse(RELEASED.resolve("Input.avsc"));
        String json = released.toString()
                .replace("\"symbols\":[\"event\",\"identify\",\"redemption\"],\"default\":\"event\"",
                        "\"symbols\":[\"event\",\"identify\"]");
        assertThat(json).isNotEqualTo(released.toString());

        assertThat(incompatibility("Input.avsc", released, new Schema.Parser().parse(json))).isPresent();
    }

    /** A message naming the schema and each incompatibility, or empty when the reader can read the writer. */
    static Optional<String> incompatibility(String name, Schema writer, Schema reader) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        String details = result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + fieldPath(reader, i.getLocation()) + ": " + i.getMessage())
                .collect(Collectors.joining("; "));
        return Optional.of(name + " is not backward compatible with its released version"
                + " (new readers cannot read released data): " + details);
    }

    /** Turns Avro's "/fields/6/type" into "program_version" so the failure names the field. */
    static String fieldPath(Schema reader, String location) {
        StringBuilder path = new StringBuilder();
        Schema current = reader;
        String[] segments = location.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            try {
                if (segment.equals("fields") && i + 1 < segments.length && current.getType() == Schema.Type.RECORD) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(segments[++i]));
                    path.append(path.length() == 0 ? "" : ".").append(field.name());
                    current = field.schema();
                } else if (segment.equals("items") && current.getType() == Schema.Type.ARRAY) {
                    current = current.getElementType();
                } else if (segment.equals("values") && current.getType() == Schema.Type.MAP) {
                    current = current.getValueType();
                } else if (segment.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                    current = current.getTypes().get(Integer.parseInt(segment));
                }
            } catch (RuntimeException e) {
                break; // best effort: the raw location is printed next to it anyway
            }
        }
        return (path.length() == 0 ? "<record>" : path) + " (" + location + ")";
    }

    private static Schema withExtraField(Schema record, String fieldJson) {
        String json = record.toString();
        int fields = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fields) + fieldJson + "," + json.substring(fields));
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }

    private static List<Path> avscFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }
}
