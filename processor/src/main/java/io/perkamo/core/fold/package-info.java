/**
 * The fold: {@link io.perkamo.core.fold.Engine#decide} turns (program in force, profile state,
 * this user's stored decisions, one validated input) into (new state, outcome, dedup writes).
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
 *   <li>A late input from an earlier limit window is checked against a fresh count and leaves
 *       the current window's counter alone.</li>
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
