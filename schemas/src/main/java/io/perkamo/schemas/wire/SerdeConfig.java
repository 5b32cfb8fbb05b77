package io.perkamo.schemas.wire;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import io.perkamo.schemas.registry.HttpSchemaRegistryClient;
import io.perkamo.schemas.registry.SchemaRegistryClient;

/** Reading the Confluent-named serde settings from a Kafka config map. */
final class SerdeConfig {

    static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

    private SerdeConfig() {
    }

    static SchemaRegistryClient registryClient(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "a schema registry URL is required");
        }
        try {
            return new HttpSchemaRegistryClient(url.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, e.getMessage());
        }
    }

    static boolean bool(Map<String, ?> configs, String name, boolean fallback) {
        Object value = configs.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(name, value, "expected true or false");
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
