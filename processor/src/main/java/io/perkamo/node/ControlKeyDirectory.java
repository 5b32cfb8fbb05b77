package io.perkamo.node;

import java.util.Optional;

import io.perkamo.api.ApiCaller;
import io.perkamo.api.KeyDirectory;
import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ControlPlane;

/** API keys as the control plane knows them (looked up by hash, compared in constant time there). */
final class ControlKeyDirectory implements KeyDirectory {
    private final ControlPlane control;

    ControlKeyDirectory(ControlPlane control) {
        this.control = control;
    }

    @Override
    public Optional<ApiCaller> resolve(String presentedKey) {
        return control.resolve(presentedKey).map(r -> new ApiCaller(
                r.key().id(),
                r.space().slug(),
                r.space().environment().id(),
                r.key().kind() == ApiKeyRecord.Kind.SERVER ? ApiCaller.Kind.SERVER : ApiCaller.Kind.BROWSER,
                r.key().scopes(),
                r.space().settings().requireSignatures()));
    }
}
