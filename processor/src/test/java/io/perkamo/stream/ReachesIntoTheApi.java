package io.perkamo.stream;

import io.perkamo.api.ApiServer;

/** A deliberate peer import, for ArchitectureTest to prove that its rule fails on one. Never used. */
final class ReachesIntoTheApi {
    private ReachesIntoTheApi() {
    }

    static Class<?> api() {
        return ApiServer.class;
    }
}
