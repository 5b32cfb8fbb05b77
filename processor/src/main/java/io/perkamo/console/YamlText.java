package io.perkamo.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Programs are stored as JSON and edited as YAML: the text an operator starts editing from. */
final class YamlText {
    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private YamlText() {
    }

    static String write(JsonNode program) {
        try {
            return WRITER.writeValueAsString(program);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a program that cannot be written as YAML", e);
        }
    }
}
