package io.perkamo.node;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.perkamo.api.RateLimitConfig;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.SpaceRateLimits;
import io.perkamo.control.UnknownSpaceException;

/** The Spaces' rate limits as their settings in the control plane hold them, over the API's defaults. */
final class ControlRateLimits implements RateLimitConfig {
    private final ControlPlane control;

    ControlRateLimits(ControlPlane control) {
        this.control = control;
    }

    @Override
    public Limits limits(String space) {
        Map<Subject, Integer> own = own(stored(space));
        return own.isEmpty() ? DEFAULTS : DEFAULTS.with(own);
    }

    @Override
    public Set<Subject> own(String space) {
        Map<Subject, Integer> own = own(stored(space));
        return own.isEmpty() ? Set.of() : EnumSet.copyOf(own.keySet());
    }

    @Override
    public Optional<String> update(String space, Map<Subject, OptionalInt> changes) {
        SpaceRateLimits now = stored(space);
        SpaceRateLimits next = new SpaceRateLimits(
                changes.getOrDefault(Subject.SERVER_KEY, now.serverKey()),
                changes.getOrDefault(Subject.BROWSER_KEY, now.browserKey()),
                changes.getOrDefault(Subject.BROWSER_USER, now.browserUser()));
        try {
            new SpaceAdmin(control).setRateLimits(space, next);
            return Optional.empty();
        } catch (UnknownSpaceException e) {
            return Optional.of("unknown Space " + space);
        }
    }

    private SpaceRateLimits stored(String space) {
        return control.space(space).map(s -> s.settings().rateLimits()).orElse(SpaceRateLimits.NONE);
    }

    private static Map<Subject, Integer> own(SpaceRateLimits limits) {
        if (limits.equals(SpaceRateLimits.NONE)) {
            return Map.of();
        }
        Map<Subject, Integer> own = new EnumMap<>(Subject.class);
        limits.serverKey().ifPresent(v -> own.put(Subject.SERVER_KEY, v));
        limits.browserKey().ifPresent(v -> own.put(Subject.BROWSER_KEY, v));
        limits.browserUser().ifPresent(v -> own.put(Subject.BROWSER_USER, v));
        return own;
    }
}
