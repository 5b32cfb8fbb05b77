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
                           List<String> serverScopes, List<PolicyRow> policies, String rotateDefault,
                           int maxTtlSeconds) {
    }

    /**
     * @param status live, expiring (rotated, still usable), revoked or expired; statusDetail its time
     * @param active usable now (also a rotated key until its expiry); lastUsed is approximate
     */
    public record KeyRow(String id, String kind, String prefix, String scopes, String created, String status,
                         String statusDetail, boolean active, String lastUsed, boolean browser, String signsFor) {
    }

    /** A live browser key's policy as in force (its environment's default until one is set). */
    public record PolicyRow(String keyId, String prefix, String origins, String events, String maxTtl,
                            boolean isDefault, String environment, List<String> signingKeys) {
    }

    /** A key just created: the only page that ever holds its secret. */
    public record NewKey(String id, String kind, String secret) {
    }

    public record ProgramView(Page page, String text, Optional<String> activeLabel, List<VersionRow> versions,
                              Optional<CheckView> check, Optional<DryRunView> dryRun, Optional<ApplyView> apply,
                              SampleForm sample, ApplyForm applyForm, Optional<WhatIfView> whatIf) {
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

    /** A what-if over the Space's history; {@code facts} empty: it did not run (notice and problems say why). */
    public record WhatIfView(Optional<Notice> notice, List<ProblemRow> problems, List<String> facts,
                             List<WalletDiffRow> wallets, List<LevelCountRow> levels, String redemptions,
                             String redemptionsChanged, List<NamedRow> redemptionChanges,
                             List<RedemptionExampleRow> redemptionExamples, List<MoverRow> movers, double seconds) {
        public boolean ran() {
            return !facts.isEmpty();
        }
    }

    public record WalletDiffRow(String wallet, String liveCredited, String draftCredited, String liveDebited,
                                String draftDebited, String liveOutstanding, String draftOutstanding,
                                String difference) {
    }

    public record LevelCountRow(String level, String live, String draft) {
    }

    public record RedemptionExampleRow(String userId, String customerUrl, String transactionId, String reward,
                                       String live, String draft) {
    }

    public record MoverRow(String userId, String customerUrl, String live, String draft, String movement) {
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

    /**
     * A Space's usage over a range of UTC days; {@code charts} and {@code rows} are empty when the
     * range is invalid or the meters cannot be read ({@code notice} says why), {@code empty} when
     * nothing was counted in it.
     */
    public record UsageView(Page page, UsageForm form, Optional<Notice> notice, String range, boolean empty,
                            List<ChartView> charts, List<String> columns, List<UsageRow> rows, List<String> totals) {
    }

    /** The range form as entered; an invalid field is marked for assistive technology. */
    public record UsageForm(String from, String to, boolean fromInvalid, boolean toInvalid, int maxDays) {
    }

    /** One day of the table, newest first; {@code cells} follow the view's columns. */
    public record UsageRow(String date, List<String> cells) {
    }

    /**
     * A stacked bar chart as inline SVG in a {@code width} x {@code height} view box: geometry in
     * user units, already laid out; {@code label} is its accessible name, with the totals.
     */
    public record ChartView(String id, String title, String label, int width, int height, List<LegendItem> legend,
                            List<GridLine> grid, List<DayBars> days, List<AxisLabel> axis) {
    }

    public record LegendItem(String series, String name, String total) {
    }

    public record GridLine(String x1, String x2, String y, String label) {
    }

    /** One day's bars, stacked from the bottom; {@code tip} names the day's counts (a tooltip). */
    public record DayBars(String tip, List<Bar> bars) {
    }

    public record Bar(String series, String x, String y, String width, String height) {
    }

    /**
     * @param anchor start, middle or end (SVG text-anchor)
     * @param minor left out where the chart is narrow (every other label between the first and the last)
     */
    public record AxisLabel(String x, String y, String anchor, String text, boolean minor) {
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
