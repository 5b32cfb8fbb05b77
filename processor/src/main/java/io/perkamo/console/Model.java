package io.perkamo.console;

import java.util.List;
import java.util.Optional;

/**
 * What the templates show: plain values, already worded and formatted by the page code. A
 * template only lays them out; nothing here decides anything.
 */
public final class Model {
    private Model() {
    }

    /** The frame of every signed-in page. */
    public record Page(String title, String csrf, Optional<String> space, String section, List<SpaceLink> spaces) {
        public boolean in(String s) {
            return section.equals(s);
        }
    }

    public record SpaceLink(String slug, String environment, boolean current) {
    }

    /** A message at the top of a panel: kind is ok, error, warn or info. */
    public record Notice(String kind, String title, List<String> lines) {
        public static Notice ok(String title, String... lines) {
            return new Notice("ok", title, List.of(lines));
        }

        public static Notice error(String title, String... lines) {
            return new Notice("error", title, List.of(lines));
        }

        public static Notice info(String title, String... lines) {
            return new Notice("info", title, List.of(lines));
        }
    }

    public record SignIn(String csrf, String next, Optional<Notice> notice, boolean configured) {
    }

    public record SpacesView(Page page, List<SpaceRow> rows, Optional<Notice> notice, int defaultPartitions,
                             SpaceForm form) {
    }

    public record SpaceForm(String slug, String name, String environment, String partitions) {
    }

    public record SpaceRow(String slug, String name, String environment, int partitions, String created,
                           String program, int activeKeys, String outcomes, String lastActivity) {
    }

    public record KeysView(Page page, List<KeyRow> rows, Optional<NewKey> created, Optional<Notice> notice,
                           List<String> serverScopes, Feature access) {
    }

    public record KeyRow(String id, String kind, String prefix, String scopes, String created, String status,
                         boolean active, String lastUsed) {
    }

    /** A key just created: the only page that ever holds its secret. */
    public record NewKey(String id, String kind, String secret) {
    }

    /** A part of the console that needs a feature this instance does not have yet. */
    public record Feature(boolean configured, String name, String explanation) {
    }

    public record ProgramView(Page page, String text, Optional<String> activeLabel, List<VersionRow> versions,
                              Optional<CheckView> check, Optional<DryRunView> dryRun, Optional<ApplyView> apply,
                              SampleForm sample, ApplyForm applyForm, Feature whatIf) {
    }

    public record VersionRow(long version, String effectiveAt, String createdAt, boolean active) {
    }

    public record SampleForm(String userId, String event, String transactionId, String occurredAt, String context) {
    }

    public record ApplyForm(String effectiveAt, boolean allowRemovals, boolean allowBackdating) {
    }

    /** A problem of the edited program, with the line it is at. */
    public record ProblemRow(int line, String path, String code, String message) {
    }

    public record ChangeRow(String kind, String key, String action, String summary) {
    }

    /** @param valid false: problems lists why; true: changes lists what it would change */
    public record CheckView(boolean valid, List<ProblemRow> problems, List<ChangeRow> changes, String against) {
    }

    public record DryRunView(Optional<Notice> notice, String status, List<DeltaRow> delta, List<BalanceRow> wallets,
                             Optional<String> level, List<String> unlocked, List<EffectRow> effects,
                             List<ProblemRow> problems) {
    }

    public record DeltaRow(String wallet, String amount, boolean credit) {
    }

    public record BalanceRow(String wallet, String balance) {
    }

    /** One effect in words, with its codes for the curious. */
    public record EffectRow(String kind, String sentence, String codes) {
    }

    public record ApplyView(Notice notice, List<ProblemRow> problems, List<ChangeRow> changes) {
    }

    public record VersionView(Page page, long version, String effectiveAt, String createdAt, String yaml,
                              Optional<Long> previous, List<ChangeRow> changes) {
    }

    public record CustomerView(Page page, String query, Optional<ProfileView> profile, Optional<Notice> notice,
                               List<HistoryRow> history, String historyNote) {
    }

    public record ProfileView(String userId, String version, String programVersion, List<WalletRow> wallets,
                              Optional<LevelRow> level, List<NamedRow> perks, List<NamedRow> achievements,
                              List<NamedRow> redemptions, String traits, String created, String updated) {
    }

    public record WalletRow(String wallet, String balance, String earned) {
    }

    /** @param progress 0..100, for a progress bar */
    public record LevelRow(String label, String wallet, String current, String next, int progress) {
    }

    public record NamedRow(String name, String detail) {
    }

    public record HistoryRow(String time, String kind, String subject, String transactionId, String status,
                             String statusKind, List<DeltaRow> delta, List<EffectRow> effects, String program) {
    }

    public record LiveView(Page page, String status, String event, List<String> statuses, String streamUrl) {
    }

    public record LiveRow(String time, String userId, String customerUrl, String subject, String status,
                          String statusKind, List<DeltaRow> delta, String transactionId, String effects) {
    }

    public record FeatureView(Page page, Feature feature) {
    }

    public record ErrorView(Optional<Page> page, int status, String title, String message) {
    }

    public record WebhooksView(Page page, List<EndpointRow> endpoints, List<DeliveryRow> deliveries,
                               Optional<Notice> notice, Optional<NewSecret> created) {
    }

    /** An endpoint just added: the only page that ever holds its signing secret. */
    public record NewSecret(String id, String secret) {
    }

    public record EndpointRow(String id, String url, String events, boolean enabled, String state, String updated) {
    }

    /** @param finished succeeded or failed: only then can it be resent */
    public record DeliveryRow(String id, String endpointId, String type, String status, int attempts, String last,
                              String next, String updated, boolean finished) {
    }
}
