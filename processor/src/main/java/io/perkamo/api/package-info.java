/**
 * The Perkamo v1 HTTP API (SPEC section 2), wire-compatible with the official SDKs.
 *
 * <p>{@link io.perkamo.api.ApiServer} is the only class the application constructs; it talks to
 * the rest of the system through {@link io.perkamo.api.KeyDirectory},
 * {@link io.perkamo.api.InputValidator}, {@link io.perkamo.api.IngestGateway},
 * {@link io.perkamo.api.ProfileQuery}, {@link io.perkamo.api.ProgramConfig} and
 * {@link io.perkamo.api.Readiness}.
 *
 * <p>Decisions where SPEC is silent:
 * <ul>
 *   <li>Every response gets a fresh {@code x-perkamo-request-id} ({@code req_} + 24 base62);
 *       one sent by a client is ignored. Only a peer forwarding a profile read (authenticated by
 *       the cluster secret) passes its id on, so one read keeps one id across instances.</li>
 *   <li>Signatures are verified whenever present, on any method, over the raw request-line path
 *       (still percent-encoded) and the raw body bytes. A Space that requires signatures requires
 *       them on mutating requests only: the SDKs never sign GETs.</li>
 *   <li>{@code tenant}/{@code space} is checked in the query string, at the top level of the
 *       body and at the top level of each batch item.</li>
 *   <li>Bodies are accepted with any content type (or none); {@code application/yaml} (any type
 *       containing "yaml") is parsed as YAML on the admin config route.</li>
 *   <li>A profile that does not exist: 404 {@code customer_not_found}. A Space without an active
 *       program: 200 with an empty {@code blueprint.earningRules} (eventCatalog() returns []).</li>
 *   <li>Refused batch items keep the full IngestResult shape with {@code error}; their status is
 *       {@code rejected}, except a timed-out item: {@code pending} (the processor may still
 *       apply it; a retry with the same transaction_id is safe).</li>
 *   <li>Identify answers the IngestResult the processor decided (the SDK returns it as an array
 *       without parsing it).</li>
 *   <li>POST /v1/rewards/redeem needs {@code rewards:redeem} only ({@code events:write} is not
 *       required). A redemption the processor rejected is an answer, not an error: 200 with
 *       {@code applied:false}, {@code status:"rejected"} and {@code reason}; a retry of it
 *       answers the same with {@code duplicate:true}.</li>
 * </ul>
 */
package io.perkamo.api;
