/**
 * Usage meters per Space and UTC day, derived exactly once from the outcomes and DLQ topics (or
 * inside the stream's transactions), read by {@code GET /v1/usage}, the CLI and the console.
 *
 * <p>May depend on control, topics, core and schemas; wired in node.
 */
package io.perkamo.usage;
