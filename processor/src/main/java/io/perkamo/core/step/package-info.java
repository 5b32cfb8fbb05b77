/**
 * One input through the engine exactly as the stream runs it: {@link io.perkamo.core.step.FoldStep}
 * turns (program history, the user's state, their stored decisions, one input, the record time)
 * into every record the stream writes for it: the dedup entries, the new profile (only when
 * the state changed) and the outcome, each as its Avro record and, for the stores, its bytes.
 * The stream's fold processor, replay, what-if and the console's dry run all call it, so they
 * cannot drift apart; none of them encodes fold results by hand.
 *
 * <p>What belongs here: choosing the program version, calling the fold, and the encoding and
 * decoding of the store values the step writes and reads. What does not: reading or writing
 * stores or topics, caching, time from a clock (the caller passes the record time). It may
 * depend on core/fold, core/codec, core/program and schemas only; nothing in core depends on it.
 */
package io.perkamo.core.step;
