/**
 * The fold: {@link io.perkamo.core.fold.Engine#decide} turns (program in force, profile state,
 * this user's stored decisions, one validated input) into (new state, outcome, dedup writes).
 *
 * <p>What belongs here: the domain values of a decision (ProfileState, Outcome, PriorDecision,
 * Effect, ...) and the evaluation itself. Engine answers retries and conflicts; a new input is
 * evaluated by {@code Fold} (the working copy of the state and the bookkeeping every kind
 * shares: wallets, limits, perks, effects) with one package-private class per part: {@code Earn}
 * (an event's rules, awards and limits), {@code Reverse} (reversals), {@code Redeem} (reward
 * checks), {@code Identify} (traits), {@code Achievements}, then {@code LevelChange} after every
 * applied input. It is the hot path (bench/FoldBenchmark): parts are static methods over the one
 * Fold, and an input copies only the maps it changes. Pure: no clock, no I/O, no randomness; it
 * may depend on core/program, core/cel, core/formula and schemas only. Encoding to Avro is
 * core/codec's; running one input end to end as the stream does is core/step's.
 *
 * <p>Decisions taken where SPEC is silent:
 * <ul>
 *   <li>A retry (same transaction_id, same fingerprint) answers with its original status
 *       (applied/redeemed/rejected) and {@code duplicate=true}, so a retried redemption still
 *       reads "redeemed"; effects of a retry are empty.</li>
 *   <li>A rule applies when its condition holds, its limit allows it and at least one award,
 *       unlock or reversal happened (a rule with none of those always applies). A rule whose
 *       every award failed is skipped with the first failure's reason and does not count.</li>
 *   <li>Conditions see the wallets and level as they were before the input.</li>
 *   <li>Limits count per window of the input's event time (UTC day, ISO week, month; lifetime is
 *       one window), so a late input is checked against and counted in its own window. A rule or
 *       reward keeps the counters of its {@value io.perkamo.core.fold.ProfileState.LimitWindows#KEPT} latest windows
 *       (by window start); counting in a newer one drops the oldest. An input whose window is older
 *       than every kept one while that many are kept is treated as over the limit
 *       ({@code limit_reached}): its window's count is no longer known, and refusing is the choice
 *       that never credits past a limit (counting it as fresh would let back-dated inputs beyond
 *       the horizon escape every limit). Fewer than that kept, an old window is simply added.
 *       A limit whose period changed (a new program version) starts counting over.</li>
 *   <li>A level follows its basis: on {@code earned} (lifetime credits) it only goes down when a
 *       reversal takes credits back; on {@code balance} it follows the balance. The first assignment of the base level is not a
 *       level-up. Perks stay unlocked when a level drops.</li>
 *   <li>A reversal takes back only the credits (positive delta entries) of the referenced input,
 *       from balances and earned totals, never below zero; perks stay unlocked. The referenced
 *       decision is rewritten with {@code reversed=true}.</li>
 *   <li>Redemption checks, in order: unknown_reward, level_required, limit_reached,
 *       insufficient_balance. A rejection leaves the state (and its version) untouched but is
 *       stored, so a retry returns it. Reward limit counters are kept under
 *       {@code reward:<key>} in the profile's limits.</li>
 *   <li>Achievement streaks count UTC days; an input of a day before the last counted day does
 *       not move the run.</li>
 * </ul>
 */
package io.perkamo.core.fold;
