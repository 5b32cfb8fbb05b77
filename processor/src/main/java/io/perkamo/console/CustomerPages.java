package io.perkamo.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.javalin.http.Context;
import io.perkamo.control.Space;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.avro.Outcome;
import io.perkamo.schemas.avro.Profile;
import io.perkamo.schemas.avro.ProfileAchievement;
import io.perkamo.schemas.avro.ProfileLevel;
import io.perkamo.schemas.avro.ProfilePerk;
import io.perkamo.schemas.avro.ProfileRedemption;
import io.perkamo.topics.UserOutcomes;

/**
 * A customer: the profile as {@code GET /v1/customer/{user_id}} reads it, and the latest
 * outcomes from the Space's outcomes topic with their effects in words ("explain").
 */
final class CustomerPages {
    static final int HISTORY = 50;
    static final long SCAN_LIMIT = 200_000;
    private final Views views;
    private final Chrome chrome;
    private final Console.Profiles profiles;
    private final UserOutcomes outcomes;

    CustomerPages(Views views, Chrome chrome, Console.Profiles profiles, UserOutcomes outcomes) {
        this.views = views;
        this.chrome = chrome;
        this.profiles = profiles;
        this.outcomes = outcomes;
    }

    void show(Context ctx, Space space) {
        String query = Optional.ofNullable(ctx.queryParam("user_id")).orElse("").strip();
        Model.Page page = chrome.page(ctx, query.isEmpty() ? "Customers · " + space.slug()
                : query + " · " + space.slug(), Optional.of(space), "customers");
        if (query.isEmpty()) {
            Web.html(ctx, 200, views.render("customers", new Model.CustomerView(page, "", Optional.empty(),
                    Optional.empty(), List.of(), "")));
            return;
        }
        if (query.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 256) {
            throw new IllegalArgumentException("A user_id has at most 256 bytes.");
        }
        Console.ProfileRead read = profiles.read(space.slug(), query);
        Optional<Model.ProfileView> profile = Optional.empty();
        Optional<Model.Notice> notice = Optional.empty();
        if (read instanceof Console.Found found) {
            profile = Optional.of(profile(found.profile()));
        } else if (read instanceof Console.NotFound) {
            notice = Optional.of(Model.Notice.info("No profile for " + query,
                    "No input of this user_id was applied in " + space.slug() + " yet (user ids are exact)."));
        } else {
            notice = Optional.of(Model.Notice.error("The profile cannot be read right now",
                    ((Console.Unavailable) read).reason() + ". Try again in a moment."));
        }
        UserOutcomes.Page history = outcomes.latest(space.slug(), query, HISTORY, SCAN_LIMIT);
        List<Model.HistoryRow> rows = new ArrayList<>();
        for (UserOutcomes.Item item : history.outcomes()) {
            rows.add(row(item.outcome(), item.timestamp()));
        }
        String note = rows.isEmpty() ? "No outcomes of this user_id on the outcomes topic."
                : history.complete() ? "The latest " + rows.size() + " outcomes, newest first."
                : "The latest " + rows.size() + " outcomes found in the newest " + Formats.number(history.scanned())
                + " records of its partition, newest first.";
        Web.html(ctx, 200, views.render("customers", new Model.CustomerView(page, query, profile, notice, rows, note)));
    }

    static Model.HistoryRow row(Outcome o, java.time.Instant recordedAt) {
        String subject = o.getReward() != null ? "reward " + o.getReward()
                : o.getEvent() != null ? o.getEvent() : o.getKind();
        return new Model.HistoryRow(Formats.time(o.getOccurredAt()), o.getKind(), subject,
                o.getTransactionId() == null ? "—" : o.getTransactionId(), o.getStatus(),
                Explain.statusKind(o.getStatus()), Explain.delta(o), Explain.effects(o),
                o.getProgramVersion() == 0 ? "no program" : "program v" + o.getProgramVersion());
    }

    static Model.ProfileView profile(Profile p) {
        List<Model.WalletRow> wallets = new ArrayList<>();
        new java.util.TreeMap<>(p.getWallets()).forEach((wallet, balance) -> wallets.add(new Model.WalletRow(wallet,
                Formats.number(balance), Formats.number(p.getEarned().getOrDefault(wallet, balance)))));
        Optional<Model.LevelRow> level = Optional.ofNullable(p.getLevel()).map(CustomerPages::level);
        List<Model.NamedRow> perks = p.getPerks().stream()
                .map((ProfilePerk k) -> new Model.NamedRow(k.getName(), "unlocked " + Formats.time(k.getUnlockedAt())))
                .toList();
        List<Model.NamedRow> achievements = p.getAchievements().stream()
                .map((ProfileAchievement a) -> new Model.NamedRow(a.getName(), a.getUnlockedAt() != null
                        ? "unlocked " + Formats.time(a.getUnlockedAt())
                        : a.getStreakDays() > 0 ? "streak " + a.getStreakDays() + " days so far"
                        : Formats.number(a.getCount()) + " so far"))
                .toList();
        List<Model.NamedRow> redemptions = p.getRedemptions().stream()
                .map((ProfileRedemption r) -> new Model.NamedRow(r.getReward(), Formats.number(r.getCount())
                        + " × · last " + Formats.time(r.getLastAt())))
                .toList();
        String traits;
        try {
            traits = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.MAPPER.readTree(p.getTraits()));
        } catch (JsonProcessingException e) {
            traits = p.getTraits();
        }
        return new Model.ProfileView(p.getUserId(), Formats.number(p.getVersion()),
                p.getProgramVersion() == 0 ? "none" : "v" + p.getProgramVersion(), wallets, level, perks, achievements,
                redemptions, traits, Formats.time(p.getCreatedAt()), Formats.time(p.getUpdatedAt()));
    }

    private static Model.LevelRow level(ProfileLevel l) {
        String label = "Level " + l.getLevel() + (l.getName() == null ? "" : " · " + l.getName());
        String next = l.getNextLevelAt() == null ? "top level"
                : Formats.number(l.getNextLevelAt() - l.getCurrent()) + " " + l.getWallet() + " to the next level (at "
                + Formats.number(l.getNextLevelAt()) + ")";
        int progress = (int) Math.round(Math.max(0, Math.min(1, l.getProgress())) * 100);
        return new Model.LevelRow(label, l.getWallet(), Formats.number(l.getCurrent()), next, progress);
    }
}
