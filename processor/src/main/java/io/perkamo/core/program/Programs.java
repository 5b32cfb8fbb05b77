package io.perkamo.core.program;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.perkamo.schemas.Json;

/** Entry points: parse and validate a program text, compile a valid definition. */
public final class Programs {
    // strict: a key given twice (two `rules:` sections) would otherwise silently keep only the last one
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Programs are often written as YAML: read with the same strictness as JSON (no duplicate keys, nothing trailing). */
    public static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Programs() {
    }

    /**
     * Parses JSON or YAML (JSON when the text starts with '{'), then validates as a new program
     * ({@link #parse(JsonNode)}): every problem is listed with its path, and CEL conditions and
     * formulas are compiled. A field given twice in one object is a syntax problem.
     */
    public static ProgramParse parse(String text) {
        if (text == null || text.isBlank()) {
            return invalid("", ProgramProblem.INVALID_SYNTAX, "the program is empty");
        }
        boolean json = text.stripLeading().startsWith("{");
        JsonNode root;
        try {
            root = (json ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            return invalid("", ProgramProblem.INVALID_SYNTAX,
                    (json ? "invalid JSON: " : "invalid YAML: ") + e.getOriginalMessage()
                            + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr()));
        }
        return parse(root);
    }

    /**
     * Validates an already parsed tree (e.g. a JSON request body) as a new program: besides the
     * checks of {@link #parsePublished}, unknown fields anywhere, a program without wallets, a
     * key that is not text and wallet keys PHP turns into integers are problems.
     */
    public static ProgramParse parse(JsonNode root) {
        return new ProgramReader(true).read(root);
    }

    /**
     * Reads a version that is already published (the control topic), with the rules it was
     * published under: versions from before the schema became strict may carry unknown fields
     * (ignored), no wallet or a numeric wallet key, and must keep running as they did.
     */
    public static ProgramParse parsePublished(JsonNode root) {
        return new ProgramReader(false).read(root);
    }

    /**
     * Compiles a definition for one version: CEL programs and formulas are built once here.
     *
     * @throws IllegalArgumentException when the definition is not valid
     */
    public static CompiledProgram compile(ProgramDefinition def, long version, Instant effectiveAt) {
        // the published rules: a version read with parsePublished must compile
        if (parsePublished(def.toJson()) instanceof ProgramParse.Invalid invalid) {
            throw new IllegalArgumentException("invalid program: " + invalid.problems());
        }
        return CompiledProgram.of(def, version, effectiveAt);
    }

    private static ProgramParse invalid(String path, String code, String message) {
        return new ProgramParse.Invalid(List.of(new ProgramProblem(path, code, message)));
    }
}
