/**
 * The control plane: Spaces, API keys and program versions, kept as records in compacted
 * control topics (names in {@link io.perkamo.topics.Topics}) and read by every instance.
 *
 * <ul>
 *   <li>Facade: {@link io.perkamo.control.ControlPlane}, what callers start, read and close.</li>
 *   <li>Read model: {@code ControlView} (a consumer loop, catch-up and read-your-writes
 *       positions, change listeners) applying each topic's records to its {@code TopicView}
 *       ({@code SpacesView}, {@code KeysView}, {@code ProgramsView}, {@code KeyUsageView}); the records' JSON in
 *       {@code ControlJson}. A new control topic is a new TopicView plus its codec.</li>
 *   <li>Admin writers: {@link io.perkamo.control.SpaceAdmin}, {@link io.perkamo.control.ApiKeys},
 *       {@link io.perkamo.control.ProgramStore}, each writing through the one
 *       {@code ControlLog} (write, then wait until this view has read it). A new admin operation
 *       is a method on a writer, or a new writer on the same log. {@code KeyUsage} writes keys'
 *       approximate "last used" at most once a minute per key, never per request.</li>
 *   <li>Browser tokens: {@link io.perkamo.control.BrowserTokens} mints them for a browser key and
 *       verifies them whoever signed them (the server, an app with a signing key, or the legacy
 *       kid = pk_... form), with the keys' liveness, policies and scopes.</li>
 *   <li>Records and errors: {@link io.perkamo.control.Space}, {@link io.perkamo.control.ApiKeyRecord},
 *       {@link io.perkamo.control.ResolvedKey}, {@link io.perkamo.control.ProgramVersion},
 *       {@link io.perkamo.control.ControlPlaneException}.</li>
 *   <li>Keys and credentials (master key, secret crypto, key resolution and its decryption
 *       cache, browser key policy): {@link io.perkamo.control.keys}, which knows no Space or
 *       topic; {@link io.perkamo.control.ControlPlane#resolve} adds the Space checks.</li>
 * </ul>
 *
 * <p>Depends on control.keys, topics, core and schemas (and kafka-clients); never on api,
 * stream, node, local or cli, which depend on it. Local mode's demo Space lives in
 * {@code io.perkamo.local}.
 */
package io.perkamo.control;
