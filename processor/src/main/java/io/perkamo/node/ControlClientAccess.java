package io.perkamo.node;

import java.util.OptionalInt;

import io.perkamo.api.ApiCaller;
import io.perkamo.api.ClientAccess;
import io.perkamo.api.ClientCaller;
import io.perkamo.control.BrowserTokens;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ResolvedKey;

/** Browser tokens as the control plane mints and verifies them ({@link BrowserTokens}), for the API. */
final class ControlClientAccess implements ClientAccess {
    private final ControlPlane control;
    private final BrowserTokens tokens;

    ControlClientAccess(ControlPlane control, BrowserTokens tokens) {
        this.control = control;
        this.tokens = tokens;
    }

    @Override
    public MintResult mint(ApiCaller server, String browserKey, String userId, OptionalInt ttlSeconds,
                           boolean stream) {
        ResolvedKey serverKey = control.key(server.keyId())
                .flatMap(k -> control.space(k.space()).map(s -> new ResolvedKey(s, k)))
                .orElseThrow(() -> new IllegalStateException("the calling key is gone"));
        BrowserTokens.MintResult r = tokens.mint(serverKey, browserKey, userId, ttlSeconds, stream);
        if (r instanceof BrowserTokens.MintRefused refused) {
            return new MintRefused(switch (refused.reason()) {
                case UNKNOWN_BROWSER_KEY -> MintRefusal.UNKNOWN_BROWSER_KEY;
                case OTHER_SPACE -> MintRefusal.OTHER_SPACE;
                case NO_SCOPE -> MintRefusal.NO_SCOPE;
            }, refused.message());
        }
        BrowserTokens.Minted minted = (BrowserTokens.Minted) r;
        return new Minted(minted.token(), minted.expiresAt(), minted.ttlSeconds(), minted.scopes());
    }

    @Override
    public Verification verify(String token) {
        BrowserTokens.Verification v = tokens.verify(token);
        if (v instanceof BrowserTokens.Refused refused) {
            return new Refused(TokenRefusal.valueOf(refused.reason().name()), refused.detail());
        }
        BrowserTokens.ClientIdentity id = ((BrowserTokens.Verified) v).identity();
        ClientCaller.Policy policy = new ClientCaller.Policy() {
            @Override
            public boolean allowsOrigin(String origin) {
                return id.policy().allowsOrigin(origin);
            }

            @Override
            public boolean allowsEvent(String event) {
                return id.allowsEvent(event);
            }
        };
        return new Verified(new ClientCaller(id.space().slug(), id.space().environment().id(), id.userId(),
                id.browserKey().id(), id.signingKey().map(k -> k.id()), id.scopes(), id.expiresAt(), id.tokenId(),
                policy));
    }

    @Override
    public boolean anyKeyAllowsOrigin(String origin) {
        return tokens.anyKeyAllowsOrigin(origin);
    }
}
