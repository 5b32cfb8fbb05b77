/**
 * Replay, what-if and export over a Space's log: a reader that sees the events topic as the
 * stream saw it, a loop that folds it with the same pure step the stream runs, and reports
 * (determinism audit, what-if of a draft program, exports as JSON lines or Avro).
 *
 * <p>May depend on control, topics, core and schemas; never on stream (the step it shares is
 * core's). Used by cli (perkamo replay, perkamo export) and node (POST /v1/admin/simulate).
 */
package io.perkamo.replay;
