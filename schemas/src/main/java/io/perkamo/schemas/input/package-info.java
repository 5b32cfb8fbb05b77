/**
 * Inputs and their JSON, shared by the HTTP API and the stream so both accept and refuse
 * exactly the same things. {@link io.perkamo.schemas.input.InputParser} validates a JSON body
 * or an Avro record (SPEC section 2) into an {@link io.perkamo.schemas.input.Input} or every
 * {@link io.perkamo.schemas.input.Problem} found, with the stable codes of
 * {@link io.perkamo.schemas.input.ErrorCodes}; {@link io.perkamo.schemas.input.InputJson} writes
 * an Input back as JSON or Avro; {@link io.perkamo.schemas.input.OutcomeJson} and
 * {@link io.perkamo.schemas.input.ProfileJson} give outcomes and profiles their JSON shapes
 * (IngestResult for the SDKs); {@link io.perkamo.schemas.input.CanonicalJson} gives a payload
 * the one text a fingerprint hashes.
 */
package io.perkamo.schemas.input;
