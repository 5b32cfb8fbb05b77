package io.perkamo.topics;

/**
 * How a deployment writes its outcomes and profiles topics: JSON (readable with kcat, the
 * local default) or Avro in the Confluent wire format (schemas registered under
 * TopicNameStrategy).
 */
public enum OutputFormat { JSON, AVRO }
