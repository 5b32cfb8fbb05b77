package io.perkamo.node;

import io.perkamo.api.ProfileQuery;
import io.perkamo.schemas.input.ProfileJson;
import io.perkamo.stream.ProfileStoreQuery;

/** Profile reads from the processor's state store, in the API's terms. */
final class StoreProfileQuery implements ProfileQuery {
    private final ProfileStoreQuery store;

    StoreProfileQuery(ProfileStoreQuery store) {
        this.store = store;
    }

    @Override
    public Lookup lookup(String space, String userId) {
        ProfileStoreQuery.Location where = store.locate(space, userId);
        if (where instanceof ProfileStoreQuery.Local local) {
            return new Local(local.profile().map(ProfileJson::bytes));
        }
        if (where instanceof ProfileStoreQuery.Remote remote) {
            return new Remote(remote.hostPort());
        }
        return new Unavailable(((ProfileStoreQuery.Unavailable) where).reason());
    }
}
