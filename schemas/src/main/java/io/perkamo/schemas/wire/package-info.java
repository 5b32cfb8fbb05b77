/**
 * The Confluent wire format: a record value is the magic byte 0x00, the writer schema's
 * 4-byte big-endian registry id, then the Avro binary body. {@link io.perkamo.schemas.wire.ConfluentWire}
 * frames and unframes bytes; {@link io.perkamo.schemas.wire.AvroWireSerializer} and
 * {@link io.perkamo.schemas.wire.AvroWireDeserializer} are Kafka serdes for the generated
 * records that register schemas under TopicNameStrategy subjects and resolve any registered
 * writer schema to the reader's, so producers on older or newer schemas keep working. Bytes
 * that are not a readable frame fail with a {@link io.perkamo.schemas.wire.WireFormatException}
 * carrying the same stable code the DLQ uses.
 */
package io.perkamo.schemas.wire;
