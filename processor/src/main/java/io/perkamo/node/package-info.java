/**
 * One Perkamo instance: the control-plane view, the stream processor and the HTTP API wired
 * together through the API's interfaces. The adapters here translate; no domain logic.
 */
package io.perkamo.node;
