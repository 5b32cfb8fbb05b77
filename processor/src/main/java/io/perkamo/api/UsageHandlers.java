package io.perkamo.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/** GET /v1/usage?from=YYYY-MM-DD&amp;to=YYYY-MM-DD: the key's Space's usage per UTC day. */
final class UsageHandlers {
    static final int MAX_DAYS = 366;

    private final Guard guard;
    private final Optional<UsageQuery> usage;
    private final Clock clock;

    UsageHandlers(Guard guard, Optional<UsageQuery> usage, Clock clock) {
        this.guard = guard;
        this.usage = usage;
        this.clock = clock;
    }

    void usage(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.PROFILE_READ);
        Guard.checkTenant(call.caller(), ctx, null);
        UsageQuery query = usage.orElseThrow(() -> new ApiError(501, "not_implemented",
                "usage meters are not available on this instance"));
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate from = date(ctx, "from").orElse(today);
        LocalDate to = date(ctx, "to").orElse(from.isAfter(today) ? from : today);
        if (to.isBefore(from)) {
            throw ApiError.badRequest("invalid_range", "to must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiError.badRequest("invalid_range", "at most " + MAX_DAYS + " days at once");
        }
        String space = call.caller().space();
        ObjectNode body = Json.object();
        body.put("space", space);
        try {
            body.set("days", query.days(space, from, to));
        } catch (IllegalStateException e) {
            throw ApiError.unavailable("usage_unavailable", "the usage meters are starting or rebalancing; retry");
        }
        Responses.json(ctx, 200, body);
    }

    private static Optional<LocalDate> date(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_date", name + " must be a date YYYY-MM-DD");
        }
    }
}
