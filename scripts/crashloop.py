#!/usr/bin/env python3
"""The independent crash loop behind scripts/crashloop (options: see that script's header).

Nothing here uses the project's code except through its command line and its topics: inputs
are produced with kcat (librdkafka), the processor is SIGKILLed and restarted while they
arrive, outputs are read back with kcat (read_committed), and the expected results come from
the reference fold below, written from SPEC.md (sections 2 and 3) and the README's user
documentation alone. Python 3.11, standard library only.
"""
import argparse
import base64
import collections
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SPACE = "crashloop"
PARTITIONS = 6
START = dt.datetime(2025, 3, 28, tzinfo=dt.timezone.utc)  # a Friday: the run crosses ISO weeks and a month
SPAN = dt.timedelta(days=10)                                # event time covered by all inputs
KCAT = shutil.which("kcat") or "/usr/bin/kcat"

# The program under test. The fold below (class Profile) implements exactly this program from
# SPEC.md; change both together.
PROGRAM_YAML = """\
wallets:
  - {key: points, name: Points}
  - {key: xp, name: Experience}
levels:
  wallet: xp
  basis: earned
  thresholds:
    - {level: 1, name: Bronze, at: 0}
    - {level: 2, name: Silver, at: 100, perks: [free_shipping]}
    - {level: 3, name: Gold, at: 400}
rules:
  - key: purchase_points
    event: purchase.completed
    label: Purchase
    when: "context.currency == 'CZK' && context.amount >= 100"
    award:
      - {wallet: points, amount: "{{amount}} / 100"}
      - {wallet: xp, amount: 10}
    limit: {count: 3, per: day}
  - key: lesson_xp
    event: lesson.finished
    label: Lesson
    award:
      - {wallet: xp, amount: "min({{minutes}}, 60) / 10 + 1"}
    limit: {count: 4, per: week}
  - key: welcome
    event: user.registered
    award: [{wallet: points, amount: 50}]
    unlock: [welcome_member]
    limit: {count: 1, per: lifetime}
perks:
  - {key: welcome_member, name: Welcome member}
  - {key: free_shipping, name: Free shipping}
achievements:
  - {key: five_lessons, name: Five lessons, event: lesson.finished, count: 5,
     award: [{wallet: points, amount: 25}]}
rewards:
  - {key: coffee, name: Free coffee, cost: {wallet: points, amount: 300}, min_level: 2,
     limit: {count: 1, per: day}}
  - {key: sticker, name: Sticker, cost: {wallet: points, amount: 40}}
"""

# Deliberately wrong rules for the fold (--tamper), to show that the check notices.
TAMPERS = {
    "daily-cap": "purchase_points allows 4 per day instead of 3",
    "formula": "purchase points are amount / 99 instead of amount / 100",
    "dedup": "a retry (same transaction_id and payload) is applied again",
}


def log(msg):
    print(f"crashloop {time.strftime('%H:%M:%S')}: {msg}", file=sys.stderr, flush=True)


# ---- Kafka's default partitioner (the Java client's), to know where the processor folds ------

def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), 32-bit unsigned."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    rest, tail = length % 4, length & ~3
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def java_partition(key: str, partitions: int = PARTITIONS) -> int:
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


# ---- inputs -------------------------------------------------------------------------------------

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def generate(n_inputs, n_users, seed, partitioners, chunks):
    """Deterministic inputs in production order: a list of dicts with key, value (the exact
    line sent), chunk, partitioner, and what it is (new, retry, conflict, malformed + code).

    Users are skewed (a few send a lot, so daily caps bind). New inputs: purchases 45% (some
    in EUR, some under 100, some without an amount), lessons 25% (some without minutes or with
    a non-numeric value), user.registered 5%, page.viewed 5% (no rule), redemptions 20%
    (coffee, sticker, and an unknown reward). About 5% of records are retries (the exact line
    of an earlier input of the same user, sent again later), 1% conflicts (an earlier
    transaction_id with a changed context), 0.3% malformed (each must land in the DLQ).
    """
    rnd = random.Random(seed)
    users = [f"acct:shop:{i}" if i % 10 == 7 else f"u-{i}" for i in range(n_users)]
    user_partitioner = {u: ("murmur2_random" if rnd.random() < 0.5 else "consistent_random") for u in users}
    sent = collections.defaultdict(list)        # user -> earlier valid lines (retry pool)
    events_sent = collections.defaultdict(list)  # user -> earlier event inputs (conflict pool)
    out = []
    per_chunk = -(-n_inputs // chunks)
    for i in range(n_inputs):
        chunk = i // per_chunk
        user = users[int(n_users * rnd.random() ** 2)]
        at = START + SPAN * i / n_inputs
        roll = rnd.random()
        rec = {"key": user, "chunk": chunk}
        if roll < 0.05 and sent[user]:
            rec.update(value=rnd.choice(sent[user]), what="retry")
        elif roll < 0.06 and events_sent[user]:
            earlier = dict(rnd.choice(events_sent[user]))
            ctx = dict(earlier.get("context", {}))
            field = "amount" if earlier["event"] == "purchase.completed" else "minutes"
            ctx[field] = (ctx[field] + 1) if isinstance(ctx.get(field), int) else 7
            earlier["context"], earlier["occurred_at"] = ctx, iso(at)  # an SDK re-stamps occurred_at
            rec.update(value=dumps(earlier), what="conflict")
            sent[user].append(rec["value"])
        elif roll < 0.063:
            code, value, key = malformed(rnd, user, i, at)
            rec.update(key=key, value=value, what="malformed", code=code)
        else:
            inp = new_input(rnd, user, f"tx-{i}", at)
            rec.update(value=dumps(inp), what="new")
            sent[user].append(rec["value"])
            if "event" in inp and inp["event"] in ("purchase.completed", "lesson.finished"):
                events_sent[user].append(inp)
        if partitioners == "chunk":
            rec["partitioner"] = "murmur2_random" if chunk % 2 else "consistent_random"
        else:
            rec["partitioner"] = user_partitioner[rec["key"]]
        out.append(rec)
    return out


def new_input(rnd, user, tx, at):
    roll = rnd.random()
    base = {"user_id": user, "transaction_id": tx, "occurred_at": iso(at)}
    if roll < 0.45:
        ctx = {"currency": "CZK" if rnd.random() < 0.85 else "EUR", "amount": rnd.randint(50, 40000)}
        if rnd.random() < 0.05:
            del ctx["amount"]
        return {**base, "event": "purchase.completed", "context": ctx}
    if roll < 0.70:
        r = rnd.random()
        ctx = {} if r < 0.04 else {"minutes": "abc"} if r < 0.06 else {"minutes": rnd.randint(1, 120)}
        return {**base, "event": "lesson.finished", "context": ctx}
    if roll < 0.75:
        return {**base, "event": "user.registered", "context": {"source": "web"}}
    if roll < 0.80:
        return {**base, "event": "page.viewed", "context": {"page": "/home"}}
    r = rnd.random()
    reward = "coffee" if r < 0.5 else "sticker" if r < 0.95 else "unicorn"
    return {**base, "kind": "redemption", "reward": reward}


def malformed(rnd, user, i, at):
    """(expected DLQ code, line, key): exactly one problem each, unique by transaction_id."""
    tx = f"bad-{i}"
    ok = {"user_id": user, "event": "purchase.completed", "transaction_id": tx, "occurred_at": iso(at),
          "context": {"currency": "CZK", "amount": 1000}}
    kind = rnd.randrange(7)
    if kind == 0:
        return "invalid_json", dumps(ok)[:-9], user
    if kind == 1:
        return "invalid_event", dumps({**ok, "event": "Purchase.Completed"}), user
    if kind == 2:
        return "reserved_context_field", dumps({**ok, "context": {"Wallets": 1, "amount": 1000}}), user
    if kind == 3:
        return "invalid_transaction_id", dumps({k: v for k, v in ok.items() if k != "transaction_id"}
                                               | {"context": {"amount": 1000, "note": tx}}), user
    if kind == 4:
        return "key_mismatch", dumps({**ok, "user_id": user + ":other"}), user
    if kind == 5:
        return "occurred_at_in_future", dumps({**ok, "occurred_at": "2099-01-01T00:00:00Z"}), user
    return "invalid_occurred_at", dumps({**ok, "occurred_at": "2025-03-28T10:00:00"}), user


# ---- the reference fold, from SPEC.md ----------------------------------------------------------

def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def window(per, t):
    """SPEC 3: periods use event time in UTC (weeks: ISO, from Monday)."""
    day = t.date()
    if per == "day":
        return day.isoformat()
    if per == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    return "lifetime"


THRESHOLDS = [(1, 0, []), (2, 100, ["free_shipping"]), (3, 400, [])]
REWARDS = {"coffee": {"cost": 300, "min_level": 2, "limit": (1, "day")},
           "sticker": {"cost": 40, "min_level": None, "limit": None}}


def number(value):
    """A context value usable in a formula: an integer (bool is not a number)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class Profile:
    """One user's state, folded input by input in the order the processor sees them."""

    def __init__(self, user, tamper=None):
        self.user = user
        self.tamper = tamper
        self.wallets = {"points": 0, "xp": 0}
        self.earned = {"points": 0, "xp": 0}
        self.perks = set()
        self.limits = collections.Counter()      # (rule, window) -> applications
        self.lessons = 0
        self.achievements = set()
        self.redemptions = collections.Counter()
        self.decisions = {}                      # transaction_id -> (payload, decision)
        self.states = []                         # the profile after each applied input

    def level(self):
        """SPEC 3: the level follows lifetime credits (basis earned) of the xp wallet."""
        return max(lvl for lvl, at, _ in THRESHOLDS if at <= self.earned["xp"])

    def snapshot(self):
        return {"wallets": dict(self.wallets), "earned": dict(self.earned), "level": self.level(),
                "perks": sorted(self.perks), "achievements": sorted(self.achievements),
                "redemptions": dict(sorted((k, v) for k, v in self.redemptions.items() if v))}

    def outcome(self, tx, status, applied, duplicate, delta, reason=None):
        return {"transaction_id": tx, "status": status, "reason": reason, "applied": applied,
                "duplicate": duplicate, "delta": {w: a for w, a in delta.items() if a},
                "wallet_state": dict(self.wallets), "level": self.level()}

    def apply(self, inp):
        """One valid input -> the outcome SPEC 2 requires (dedup first, then the program)."""
        tx = inp["transaction_id"]
        kind = inp.get("kind", "event")
        # SPEC 2: the payload is user_id, event (or reward) and context; occurred_at is not compared
        payload = (kind, inp.get("event"), inp.get("reward"), json.dumps(inp.get("context") or {}, sort_keys=True))
        if tx in self.decisions:
            first_payload, first = self.decisions[tx]
            if first_payload != payload:
                return self.outcome(tx, "rejected", False, False, {}, "idempotency_conflict")
            if self.tamper != "dedup":  # (--tamper dedup: fold the retry again)
                return self.outcome(tx, first["status"], False, True, first["delta"], first["reason"])
        t = parse_time(inp["occurred_at"])
        if kind == "redemption":
            decision = self.redeem(inp["reward"], t)
        else:
            decision = self.event(inp["event"], inp.get("context") or {}, t)
        self.decisions.setdefault(tx, (payload, decision))
        if decision["applied"]:
            self.states.append(self.snapshot())
        return self.outcome(tx, decision["status"], decision["applied"], False, decision["delta"],
                            decision["reason"])

    def credit(self, delta, wallet, amount):
        self.wallets[wallet] += amount
        self.earned[wallet] += amount
        delta[wallet] += amount

    def limited(self, rule, count, per, t):
        return self.limits[(rule, window(per, t))] >= count

    def event(self, event, ctx, t):
        delta = collections.Counter()
        if event == "purchase.completed":
            # when: context.currency == 'CZK' && context.amount >= 100 (CEL: a missing field is an
            # error, and an error skips the rule like false does)
            amount = number(ctx.get("amount"))
            cap = 4 if self.tamper == "daily-cap" else 3
            if ctx.get("currency") == "CZK" and amount is not None and amount >= 100 \
                    and not self.limited("purchase_points", cap, "day", t):
                divisor = 99 if self.tamper == "formula" else 100
                self.credit(delta, "points", amount // divisor)  # amount > 0: // truncates like SPEC's /
                self.credit(delta, "xp", 10)
                self.limits[("purchase_points", window("day", t))] += 1
        elif event == "lesson.finished":
            # award min({{minutes}}, 60) / 10 + 1; a missing or non-numeric value skips the award,
            # and a rule that awarded nothing did not apply (does not count toward its limit)
            minutes = number(ctx.get("minutes"))
            if not self.limited("lesson_xp", 4, "week", t) and minutes is not None:
                self.credit(delta, "xp", min(minutes, 60) // 10 + 1)  # minutes > 0
                self.limits[("lesson_xp", window("week", t))] += 1
            # achievement five_lessons: the 5th input of the event unlocks it, once, with its award
            self.lessons += 1
            if self.lessons >= 5 and "five_lessons" not in self.achievements:
                self.achievements.add("five_lessons")
                self.credit(delta, "points", 25)
        elif event == "user.registered":
            if not self.limited("welcome", 1, "lifetime", t):
                self.credit(delta, "points", 50)
                self.perks.add("welcome_member")
                self.limits[("welcome", "lifetime")] += 1
        # any other event: no rule; the input is still applied (recorded and counted)
        for lvl, _, perks in THRESHOLDS:
            if lvl <= self.level():
                self.perks.update(perks)
        return {"status": "applied", "applied": True, "reason": None, "delta": delta}

    def redeem(self, reward, t):
        """README: reasons are checked in the order unknown_reward, level_required, limit_reached,
        insufficient_balance; a rejection changes nothing; a balance never goes below zero."""
        def rejected(reason):
            return {"status": "rejected", "applied": False, "reason": reason, "delta": {}}
        r = REWARDS.get(reward)
        if r is None:
            return rejected("unknown_reward")
        if r["min_level"] is not None and self.level() < r["min_level"]:
            return rejected("level_required")
        if r["limit"] and self.limited("reward:" + reward, r["limit"][0], r["limit"][1], t):
            return rejected("limit_reached")
        if self.wallets["points"] < r["cost"]:
            return rejected("insufficient_balance")
        self.wallets["points"] -= r["cost"]
        if r["limit"]:
            self.limits[("reward:" + reward, window(r["limit"][1], t))] += 1
        self.redemptions[reward] += 1
        return {"status": "redeemed", "applied": True, "reason": None, "delta": {"points": -r["cost"]}}


# ---- what the processor published, normalised like the fold's view ------------------------------

def observed_state(profile):
    return {"wallets": {w: profile.get("wallets", {}).get(w, 0) for w in ("points", "xp")},
            "earned": {w: profile.get("earned", {}).get(w, 0) for w in ("points", "xp")},
            "level": (profile.get("level") or {}).get("level"),
            "perks": sorted(p["key"] for p in profile.get("perks", [])),
            # the profile lists achievements in progress too, with unlocked_at null
            "achievements": sorted(a["key"] for a in profile.get("achievements", []) if a.get("unlocked_at")),
            "redemptions": dict(sorted((r["reward"], r["count"]) for r in profile.get("redemptions", [])))}


def observed_outcome(o):
    return {"transaction_id": o.get("transaction_id"), "status": o.get("status"),
            "reason": o.get("reason") if o.get("status") == "rejected" else None,
            "applied": o.get("applied"), "duplicate": o.get("duplicate"),
            "delta": {d["wallet"]: d["amount"] for d in o.get("delta", []) if d["amount"]},
            "wallet_state": {w: o.get("wallet_state", {}).get(w, 0) for w in ("points", "xp")},
            "level": (o.get("level") or {}).get("level")}


# ---- the check ----------------------------------------------------------------------------------

def check(generated, events, outcomes, profiles, dlq, api, partitioners, tamper=None):
    """Compares what the topics (and the API) hold with the reference fold.

    events/outcomes/profiles/dlq: lists of (partition, offset, key, headers, value) as read with
    read_committed; api: {user: (http status, body)}. Returns (report dict, list of diffs)."""
    diffs = []
    rep = collections.Counter()
    malformed = {r["value"]: r for r in generated if r["what"] == "malformed"}
    valid = [r for r in generated if r["what"] != "malformed"]

    # 1. the order the processor folds: each user's records on the partition the Java partitioner
    #    picks for the user (the router moves records from any other partition there, once)
    partitioners_of = collections.defaultdict(set)
    for r in valid:
        partitioners_of[r["value"]].add(r["partitioner"])
    log_order = collections.defaultdict(list)
    for part, off, key, headers, value in sorted(events, key=lambda e: (e[0], e[1])):
        if value in malformed:
            continue
        if part == java_partition(key):
            log_order[key].append(value)
        elif "perkamo.rerouted" in headers:
            rep["misrouted"] += 1
            diffs.append(f"events: a rerouted record of {key} sits on partition {part}, not {java_partition(key)}")
        elif partitioners_of[value] == {"murmur2_random"}:
            # librdkafka's murmur2 is the Java client's: a disagreement means this check's
            # partition arithmetic (and so its fold order) is wrong, not the processor
            rep["partitioner_disagreements"] += 1
            diffs.append(f"events: kcat's murmur2 put {key} on {part}, Kafka's murmur2 says {java_partition(key)}")
    production_order = collections.defaultdict(list)
    for r in valid:
        production_order[r["key"]].append(r["value"])
    for user in sorted(set(production_order) | set(log_order)):
        sent, folded = production_order.get(user, []), log_order.get(user, [])
        if collections.Counter(sent) != collections.Counter(folded):
            rep["events_mismatches"] += 1
            missing = collections.Counter(sent) - collections.Counter(folded)
            extra = collections.Counter(folded) - collections.Counter(sent)
            diffs.append(f"events {user}: {sum(missing.values())} sent but not on its partition, "
                         f"{sum(extra.values())} there more often than sent: {list(missing or extra)[:1]}")
        elif sent != folded:
            rep["reordered_users"] += 1
            if partitioners == "user":
                diffs.append(f"events {user}: the processor's partition holds the user's inputs in another order than sent")

    # 2. the reference fold, in that order
    folds, expected = {}, {}
    for user, values in log_order.items():
        p = folds[user] = Profile(user, tamper)
        expected[user] = [p.apply(json.loads(v)) for v in values]
    unique = {(r["key"], json.loads(r["value"])["transaction_id"]) for r in valid}  # as produced
    rep["unique_valid"] = len(unique)
    rep["valid"] = len(valid)

    # 3. outcomes: per user, the same sequence (a user's outcomes share one partition)
    seen = collections.defaultdict(list)
    for part, off, key, headers, value in sorted(outcomes, key=lambda e: (e[0], e[1])):
        seen[key].append(observed_outcome(json.loads(value)))
    rep["outcomes"] = sum(len(v) for v in seen.values())
    decisions_seen = collections.Counter()
    applied_seen = collections.Counter()
    for user, outs in seen.items():
        for o in outs:
            if not o["duplicate"] and o["reason"] != "idempotency_conflict":
                decisions_seen[(user, o["transaction_id"])] += 1
            if o["applied"]:
                applied_seen[(user, o["transaction_id"])] += 1
    rep["lost"] = sum(1 for k in unique if decisions_seen[k] == 0)
    rep["decided_twice"] = sum(1 for k in unique if decisions_seen[k] > 1)
    rep["applied_twice"] = sum(1 for n in applied_seen.values() if n > 1)
    rep["extra_outcomes"] = max(0, rep["outcomes"] - rep["valid"])
    for user in sorted(set(expected) | set(seen)):
        exp, got = expected.get(user, []), seen.get(user, [])
        if exp != got:
            rep["outcome_mismatches"] += 1
            i = next((i for i, (a, b) in enumerate(zip(exp, got)) if a != b), min(len(exp), len(got)))
            diffs.append(f"outcomes {user}: {len(got)} seen, {len(exp)} expected; first difference at #{i}:\n"
                         f"    expected {exp[i] if i < len(exp) else '(none)'}\n"
                         f"    seen     {got[i] if i < len(got) else '(none)'}")

    # 4. profiles: every committed record non-negative and one of the fold's states, in order;
    #    the last one equal to the final state
    records = collections.defaultdict(list)
    for part, off, key, headers, value in sorted(profiles, key=lambda e: (e[0], e[1])):
        records[key].append(observed_state(json.loads(value)))
    rep["profile_records"] = sum(len(v) for v in records.values())
    for user, recs in records.items():
        for s in recs:
            if any(v < 0 for v in s["wallets"].values()):
                rep["negative_balances"] += 1
                diffs.append(f"profiles {user}: a committed record with a negative balance: {s['wallets']}")
    users_with_state = {u for u, p in folds.items() if p.states}
    for user in sorted(users_with_state | set(records)):
        states = folds[user].states if user in folds else []
        recs = records.get(user, [])
        if not recs or not states or recs[-1] != states[-1]:
            rep["profile_mismatches"] += 1
            diffs.append(f"profiles {user}: final record differs\n"
                         f"    expected {states[-1] if states else '(no profile)'}\n"
                         f"    topic    {recs[-1] if recs else '(no record)'}")
            continue
        if len(recs) > len(states):  # one record per applied input at most (compaction only removes)
            rep["profile_history_mismatches"] += 1
            diffs.append(f"profiles {user}: {len(recs)} committed records for {len(states)} applied inputs")
            continue
        i = 0
        for s in recs:  # compaction may have removed some records, never reordered them
            while i < len(states) and states[i] != s:
                i += 1
            if i == len(states):
                rep["profile_history_mismatches"] += 1
                diffs.append(f"profiles {user}: a committed record matches no state of the fold in order: {s}")
                break
            i += 1

    # 5. the API (GET /v1/customer/{id}) for the users it was asked about
    for user, (status, body) in sorted(api.items()):
        rep["api_checked"] += 1
        want = folds[user].states[-1] if user in folds and folds[user].states else None
        got = observed_state(body) if status == 200 else None
        if want is None and status == 404:
            continue
        if status != 200 or got != want:
            rep["api_mismatches"] += 1
            diffs.append(f"api {user}: HTTP {status}\n    expected {want}\n    api      {got or body}")

    # 6. the DLQ: each malformed record once, with its code
    got_dlq = collections.Counter()
    for part, off, key, headers, value in dlq:
        got_dlq[value] += 1
        want = malformed.get(value)
        code = re.search(r"perkamo\.error\.code=([a-z_]+)", headers)
        if want is None:
            rep["dlq_unexpected"] += 1
            diffs.append(f"dlq: a record that was not produced malformed: {value[:120]}")
        elif not code or code.group(1) != want["code"]:
            rep["dlq_code_mismatches"] += 1
            diffs.append(f"dlq: code {code.group(1) if code else None}, expected {want['code']}: {value[:120]}")
    rep["dlq"] = len(dlq)
    rep["malformed"] = len(malformed)
    for value, r in malformed.items():
        if got_dlq[value] == 0:
            rep["dlq_missing"] += 1
            diffs.append(f"dlq: no record for a malformed input ({r['code']}): {value[:120]}")
    rep["dlq_twice"] = sum(1 for n in got_dlq.values() if n > 1)

    failures = ["events_mismatches", "misrouted", "partitioner_disagreements", "outcome_mismatches",
                "profile_mismatches", "profile_history_mismatches", "api_mismatches", "lost", "decided_twice",
                "applied_twice", "extra_outcomes", "negative_balances", "dlq_unexpected", "dlq_code_mismatches",
                "dlq_missing", "dlq_twice"]
    if partitioners == "user":
        failures.append("reordered_users")
    rep["mismatches"] = sum(rep[k] for k in ("events_mismatches", "outcome_mismatches", "profile_mismatches",
                                             "profile_history_mismatches", "api_mismatches"))
    rep["users"] = len(production_order)
    clean = all(rep[k] == 0 for k in failures)
    return dict(rep), diffs, clean


# ---- --self-test: the fold on hand-computed cases, and every check made to fail -----------------

def self_test():
    failed = []

    def expect(name, ok):
        print(f"crashloop self-test: {'ok  ' if ok else 'FAIL'} {name}", file=sys.stderr)
        if not ok:
            failed.append(name)

    # the fold, on cases computed by hand from SPEC.md
    p = Profile("a")
    buy = {"user_id": "a", "event": "purchase.completed", "occurred_at": "2025-03-28T10:00:00Z",
           "context": {"currency": "CZK", "amount": 12999}}
    outs = [p.apply({**buy, "transaction_id": f"b{i}"}) for i in range(4)]
    expect("a purchase gives amount/100 points (truncated) and 10 xp",
           outs[0]["delta"] == {"points": 129, "xp": 10} and outs[0]["status"] == "applied")
    expect("the 4th purchase of a UTC day is applied without credits (limit 3 per day)",
           outs[3]["applied"] and outs[3]["delta"] == {} and p.wallets == {"points": 387, "xp": 30})
    nxt = p.apply({**buy, "transaction_id": "b5", "occurred_at": "2025-03-29T00:00:00Z"})
    expect("the next UTC day has a fresh cap", nxt["delta"] == {"points": 129, "xp": 10})
    dup = p.apply({**buy, "transaction_id": "b0", "occurred_at": "2025-04-01T00:00:00Z"})
    expect("a retry is a duplicate with the original delta (occurred_at not compared)",
           dup["duplicate"] and not dup["applied"] and dup["delta"] == {"points": 129, "xp": 10})
    conflict = p.apply({**buy, "transaction_id": "b0", "context": {"currency": "CZK", "amount": 1}})
    expect("another payload under a used transaction_id is an idempotency_conflict",
           conflict["status"] == "rejected" and conflict["reason"] == "idempotency_conflict"
           and p.wallets == {"points": 516, "xp": 40})
    eur = p.apply({**buy, "transaction_id": "e1", "context": {"currency": "EUR", "amount": 5000}})
    expect("a false condition awards nothing, the input is still applied", eur["applied"] and eur["delta"] == {})
    coffee = p.apply({"user_id": "a", "kind": "redemption", "reward": "coffee", "transaction_id": "c1",
                      "occurred_at": "2025-03-29T01:00:00Z"})
    expect("coffee needs level 2 (100 xp earned)", coffee["reason"] == "level_required")
    lesson = {"user_id": "a", "event": "lesson.finished", "occurred_at": "2025-03-31T08:00:00Z"}
    ls = [p.apply({**lesson, "transaction_id": f"l{i}", "context": {"minutes": 95}}) for i in range(4)]
    ls.append(p.apply({**lesson, "transaction_id": "l4", "context": {}}))
    expect("a lesson gives min(minutes, 60)/10 + 1 xp", ls[0]["delta"] == {"xp": 7})
    expect("the 5th lesson (no minutes: no xp) unlocks five_lessons with 25 points",
           ls[4]["delta"] == {"points": 25} and "five_lessons" in p.achievements)
    expect("68 xp earned is still level 1", p.level() == 1 and p.earned["xp"] == 68)
    more = [p.apply({**buy, "transaction_id": f"d{i}", "occurred_at": f"2025-04-0{2 + i // 3}T10:00:00Z"})
            for i in range(4)]
    expect("98 xp is level 1, then 108 xp reaches level 2 and its perk",
           more[2]["level"] == 1 and more[3]["level"] == 2 and "free_shipping" in p.perks)
    c2 = p.apply({"user_id": "a", "kind": "redemption", "reward": "coffee", "transaction_id": "c2",
                  "occurred_at": "2025-04-03T11:00:00Z"})
    c3 = p.apply({"user_id": "a", "kind": "redemption", "reward": "coffee", "transaction_id": "c3",
                  "occurred_at": "2025-04-03T12:00:00Z"})
    expect("coffee redeemed at level 2 for 300 points, then limit 1 per day",
           c2["status"] == "redeemed" and c2["delta"] == {"points": -300} and c3["reason"] == "limit_reached")
    poor = Profile("b")
    s = poor.apply({"user_id": "b", "kind": "redemption", "reward": "sticker", "transaction_id": "s1",
                    "occurred_at": "2025-04-02T12:00:00Z"})
    u = poor.apply({"user_id": "b", "kind": "redemption", "reward": "unicorn", "transaction_id": "s2",
                    "occurred_at": "2025-04-02T12:00:00Z"})
    expect("a redemption over the balance is rejected and changes nothing",
           s["reason"] == "insufficient_balance" and poor.wallets["points"] == 0 and not poor.states)
    expect("an unknown reward is unknown_reward", u["reason"] == "unknown_reward")
    w = [poor.apply({"user_id": "b", "event": "user.registered", "transaction_id": f"w{i}",
                     "occurred_at": "2025-04-02T12:00:00Z", "context": {}}) for i in range(2)]
    expect("welcome: 50 points and a perk, once per lifetime",
           w[0]["delta"] == {"points": 50} and w[1]["delta"] == {} and "welcome_member" in poor.perks)
    expect("Kafka's murmur2 test vectors",
           [murmur2(b) - (1 << 32) * (murmur2(b) >= 1 << 31) for b in (b"21", b"foobar", b"abc")]
           == [-973932308, -790332482, 479470107])

    # a perfect processor's topics, simulated from the fold, must check clean; each fault must not
    generated = generate(3000, 150, 7, "user", 8)
    data = simulate(generated)
    rep, _, clean = check(generated, *data, "user")
    expect(f"simulated perfect run is clean ({rep['unique_valid']} unique inputs, {rep['malformed']} malformed)",
           clean and rep["malformed"] > 0 and rep["valid"] > rep["unique_valid"])

    def fault(name, counter, change=None, tamper=None):
        events, outcomes, profiles, dlq, api = (list(x) if isinstance(x, list) else dict(x) for x in simulate(generated))
        if change:
            change(events, outcomes, profiles, dlq, api)
        r, diffs, ok = check(generated, events, outcomes, profiles, dlq, api, "user", tamper)
        expect(f"detects {name}: {counter}={r.get(counter, 0)}", not ok and r.get(counter, 0) > 0 and diffs)

    def first(rows, pred):
        return next(i for i, row in enumerate(rows) if pred(row))

    def drop_outcome(e, o, p, d, a):
        del o[first(o, lambda r: json.loads(r[4])["applied"])]

    def twice(e, o, p, d, a):
        o.append(o[first(o, lambda r: json.loads(r[4])["applied"])])

    def richer(e, o, p, d, a):
        user = max((r[2] for r in p), key=lambda u: sum(1 for r in p if r[2] == u))
        i = max(i for i, r in enumerate(p) if r[2] == user)
        body = json.loads(p[i][4])
        body["wallets"]["points"] += 1
        p[i] = p[i][:4] + (dumps(body),)

    def negative(e, o, p, d, a):
        i = first(p, lambda r: True)
        body = json.loads(p[i][4])
        body["wallets"]["points"] = -5
        p.insert(i, p[i][:4] + (dumps(body),))

    def lose_dlq(e, o, p, d, a):
        d.pop()

    def api_off(e, o, p, d, a):
        user = next(u for u, (status, _) in a.items() if status == 200)
        body = json.loads(json.dumps(a[user][1]))
        body["wallets"]["xp"] += 10
        a[user] = (200, body)

    def lose_reroute(e, o, p, d, a):
        del e[first(e, lambda r: "perkamo.rerouted" in r[3])]

    def reorder(e, o, p, d, a):
        user = generated[0]["key"]
        mine = [i for i, r in enumerate(e) if r[2] == user and r[0] == java_partition(user)]
        i, j = mine[0], mine[-1]
        e[i], e[j] = e[i][:4] + (e[j][4],), e[j][:4] + (e[i][4],)

    fault("a lost input", "lost", drop_outcome)
    fault("an input applied twice", "applied_twice", twice)
    fault("a wrong final balance on the profiles topic", "profile_mismatches", richer)
    fault("a negative balance in a committed profile record", "negative_balances", negative)
    fault("a profile record too many", "profile_history_mismatches",
          lambda e, o, p, d, a: p.insert(0, p[first(p, lambda r: True)]))
    fault("a rerouted record on a wrong partition", "misrouted",
          lambda e, o, p, d, a: e.append(((java_partition(e[0][2]) + 1) % PARTITIONS, 10 ** 6, e[0][2],
                                          "perkamo.rerouted=\x01", e[0][4])))
    fault("a malformed record missing from the DLQ", "dlq_missing", lose_dlq)
    fault("a wrong balance from the API", "api_mismatches", api_off)
    fault("a rerouted record missing", "events_mismatches", lose_reroute)
    fault("a user's inputs reordered", "reordered_users", reorder)
    for name, what in TAMPERS.items():
        fault(f"a wrong rule in the fold ({what})", "mismatches", tamper=name)
    print(dumps({"self_test": "passed" if not failed else "failed", "failed": failed}))
    return 1 if failed else 0


def simulate(generated):
    """The topics and API answers a correct processor would produce for these inputs (kcat's
    consistent_random modelled as 'the next partition', rerouted at once), from the fold."""
    offsets = collections.Counter()

    def append(rows, part, key, headers, value):
        rows.append((part, offsets[(id(rows), part)], key, headers, value))
        offsets[(id(rows), part)] += 1

    events, outcomes, profiles, dlq, api = [], [], [], [], {}
    folds = {}
    for r in generated:
        right = java_partition(r["key"])
        wrong = right if r["partitioner"] == "murmur2_random" else (right + 1) % PARTITIONS
        append(events, wrong, r["key"], "", r["value"])
        if r["what"] == "malformed":
            append(dlq, wrong, r["key"], f"perkamo.error.code={r['code']},perkamo.source.partition={wrong}",
                   r["value"])
            continue
        if wrong != right:
            append(events, right, r["key"], "perkamo.rerouted=\x01", r["value"])
        p = folds.setdefault(r["key"], Profile(r["key"]))
        before = len(p.states)
        o = p.apply(json.loads(r["value"]))
        wire = {"transaction_id": o["transaction_id"], "status": o["status"], "applied": o["applied"],
                "duplicate": o["duplicate"], "delta": [{"wallet": w, "amount": v} for w, v in o["delta"].items()],
                "wallet_state": o["wallet_state"], "level": {"wallet": "xp", "level": o["level"]}}
        if o["reason"]:
            wire["reason"] = o["reason"]
        append(outcomes, right, r["key"], "", dumps(wire))
        if len(p.states) > before:
            append(profiles, right, r["key"], "", dumps(profile_wire(r["key"], p.states[-1])))
    for user, p in folds.items():
        api[user] = (200, profile_wire(user, p.states[-1])) if p.states else (404, "customer_not_found")
    return events, outcomes, profiles, dlq, api


def profile_wire(user, state):
    return {"user_id": user, "wallets": state["wallets"], "earned": state["earned"],
            "level": {"wallet": "xp", "level": state["level"]}, "perks": [{"key": k} for k in state["perks"]],
            "achievements": [{"key": k, "unlocked_at": "2025-03-28T00:00:00Z"} for k in state["achievements"]],
            "redemptions": [{"reward": k, "count": v} for k, v in state["redemptions"].items()]}


# ---- processes ----------------------------------------------------------------------------------

class Proc:
    """A child process with its own log file; not in our process group (a terminal's Ctrl-C is
    ours to handle), stopped with SIGTERM, killed with SIGKILL."""

    def __init__(self, name, args, env, logfile):
        self.name, self.logfile = name, logfile
        with open(logfile, "wb") as out:
            self.popen = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                          env=env, start_new_session=True)
        self.started = time.monotonic()

    def alive(self):
        return self.popen.poll() is None

    def has_line(self, text):
        with open(self.logfile, "rb") as f:
            return text.encode() in f.read()

    def await_line(self, text, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.has_line(text):
                return True
            if not self.alive():
                return False
            time.sleep(0.2)
        return False

    def kill(self):
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self, timeout=30):
        if self.alive():
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait()

    def tail(self, lines=30):
        with open(self.logfile, "rb") as f:
            return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")


class Run:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.bootstrap = f"localhost:{args.kafka_port}"
        self.env = dict(os.environ, PERKAMO_HOME=os.path.join(work, "home"),
                        PERKAMO_MASTER_KEY=base64.b64encode(os.urandom(32)).decode())
        self.jar = os.path.join(work, "perkamo.jar")
        self.broker = None
        self.processor = None
        self.starts = 0
        self.kills = 0
        self.startup_kills = 0
        self.produced = 0
        self.producer_error = None

    # processes

    def java(self, *args, xmx="512m"):
        return ["java", f"-Xmx{xmx}", "-jar", self.jar, *args]

    def start_broker(self):
        a = self.args
        self.broker = Proc("broker", self.java("broker", "--port", str(a.kafka_port), "--controller-port",
                                               str(a.controller_port), "--registry-port", str(a.registry_port),
                                               "--data-dir", os.path.join(self.work, "kafka"), xmx="1g"),
                           self.env, os.path.join(self.work, "broker.log"))
        if not self.broker.await_line("Kafka broker ready", 180):
            raise SystemExit(f"crashloop: the broker did not start:\n{self.broker.tail()}")

    def start_processor(self):
        self.starts += 1
        a = self.args
        self.processor = Proc(f"processor-{self.starts}", self.java(
            "run", "--bootstrap-servers", self.bootstrap, "--schema-registry-url",
            f"http://localhost:{a.registry_port}", "--port", str(a.api_port), "--application-id", SPACE,
            "--state-dir", os.path.join(self.work, "state"), xmx="768m"),
            self.env, os.path.join(self.work, f"processor-{self.starts}.log"))
        return self.processor

    def await_processor(self, timeout=240):
        if not self.processor.await_line("Perkamo is ready", timeout):
            raise SystemExit(f"crashloop: the processor did not become ready:\n{self.processor.tail()}")

    def cli(self, *args):
        res = subprocess.run(self.java(*args, "--bootstrap-servers", self.bootstrap, xmx="256m"), env=self.env,
                             capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            raise SystemExit(f"crashloop: perkamo {' '.join(args)} failed:\n{res.stdout}{res.stderr}")
        return res.stdout

    def set_up_space(self):
        program = os.path.join(self.work, "program.yaml")
        with open(program, "w") as f:
            f.write(PROGRAM_YAML)
        self.cli("spaces", "create", SPACE, "--environment", "test", "--partitions", str(PARTITIONS))
        self.cli("program", "apply", "--space", SPACE, "--file", program)
        out = self.cli("keys", "create", "--space", SPACE)
        key = re.search(r"\bsk_test_[A-Za-z0-9_]+", out)
        if not key:
            raise SystemExit(f"crashloop: no server key in: {out}")
        return key.group(0)

    # production

    def produce(self, generated):
        """Chunks in order, each through one kcat per partitioner, fed at --rate lines/s. The chunks
        of kill cycle j start only once j kills happened, so production spans the kills."""
        try:
            chunks = collections.defaultdict(list)
            for r in generated:
                chunks[r["chunk"]].append(r)
            n = len(chunks)
            for c in sorted(chunks):
                cycle = c * self.args.kills // n
                while self.kills < cycle:
                    time.sleep(0.2)
                self.produce_chunk(chunks[c])
                log(f"chunk {c + 1}/{n} produced ({self.produced:,} records), "
                    f"{' + '.join(sorted({r['partitioner'] for r in chunks[c]}))}")
                time.sleep(random.uniform(0.2, 1.0))
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.producer_error = e

    def produce_chunk(self, records):
        kcats = {}
        for name in sorted({r["partitioner"] for r in records}):
            kcats[name] = subprocess.Popen(
                [KCAT, "-P", "-b", self.bootstrap, "-t", f"perkamo.{SPACE}.events", "-K", "\t",
                 "-X", f"partitioner={name}", "-X", "enable.idempotence=true", "-X", "linger.ms=20"],
                stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        begin = time.monotonic()
        for i, r in enumerate(records):
            kcats[r["partitioner"]].stdin.write(f"{r['key']}\t{r['value']}\n".encode())
            self.produced += 1
            if i % 50 == 49:
                for k in kcats.values():
                    k.stdin.flush()
                ahead = begin + (i + 1) / self.args.rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
        for name, k in kcats.items():
            k.stdin.close()
            err = k.stderr.read().decode(errors="replace")
            if k.wait() != 0 or "ERROR" in err:
                raise RuntimeError(f"kcat ({name}) failed: {err.strip()[:500]}")

    # chaos

    def chaos(self):
        """SIGKILL the processor --kills times, 3-8 s after it is ready (the 3rd, 7th, 11th, ...
        kill 4-10 s after its start instead: while it joins the group and restores its state),
        restarting it each time."""
        rnd = random.Random(self.args.seed + 1)
        while self.kills < self.args.kills:
            if self.producer_error:
                return
            if self.kills % 4 == 2:
                time.sleep(max(0.0, self.processor.started + rnd.uniform(4, 10) - time.monotonic()))
            else:
                self.await_processor()
                time.sleep(rnd.uniform(3, 8))
            ready = self.processor.has_line("Perkamo is ready")
            self.processor.kill()
            self.kills += 1
            self.startup_kills += 0 if ready else 1
            log(f"SIGKILL {self.kills}/{self.args.kills} of the processor ({'running' if ready else 'starting'}, "
                f"up {time.monotonic() - self.processor.started:.0f} s) at {self.produced:,} produced, "
                f"{self.count('outcomes'):,} outcomes committed")
            time.sleep(rnd.uniform(0.5, 2))
            self.start_processor()

    # reading back

    def read(self, topic, committed=True):
        """Every record of a topic: (partition, offset, key, headers, value)."""
        args = [KCAT, "-C", "-b", self.bootstrap, "-t", f"perkamo.{SPACE}.{topic}", "-o", "beginning", "-e", "-q",
                "-f", "%p\t%o\t%k\t%h\t%s\n"]
        if committed:
            args += ["-X", "isolation.level=read_committed"]
        res = subprocess.run(args, capture_output=True, timeout=300)
        if res.returncode != 0:
            raise SystemExit(f"crashloop: kcat could not read {topic}: {res.stderr.decode(errors='replace')}")
        out = []
        for line in res.stdout.decode(errors="surrogateescape").split("\n"):
            if line:
                p, o, k, h, v = line.split("\t", 4)
                out.append((int(p), int(o), k, h, v))
        return out

    def count(self, topic):
        res = subprocess.run([KCAT, "-C", "-b", self.bootstrap, "-t", f"perkamo.{SPACE}.{topic}", "-o",
                              "beginning", "-e", "-q", "-X", "isolation.level=read_committed", "-f", ".\n"],
                             capture_output=True, timeout=300)
        return res.stdout.count(b"\n")

    def await_catch_up(self, valid, malformed):
        """Until the committed outcomes cover every valid record and the DLQ every malformed one,
        and neither has grown for two polls; or --settle-timeout."""
        deadline = time.monotonic() + self.args.settle_timeout
        last, stable = None, 0
        while time.monotonic() < deadline:
            now = (self.count("outcomes"), self.count("dlq"))
            log(f"catching up: {now[0]:,}/{valid:,} outcomes, {now[1]}/{malformed} DLQ records")
            stable = stable + 1 if now == last else 0
            last = now
            if now[0] >= valid and now[1] >= malformed and stable >= 2:
                return True
            time.sleep(3)
        log(f"settle timeout ({self.args.settle_timeout} s): checking what is there")
        return False

    def api_profiles(self, key, users):
        out = {}
        for user in users:
            url = f"http://localhost:{self.args.api_port}/v1/customer/{urllib.parse.quote(user, safe='')}"
            req = urllib.request.Request(url, headers={"x-perkamo-api-key": key})
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    out[user] = (resp.status, json.loads(resp.read()))
            except urllib.error.HTTPError as e:
                out[user] = (e.code, e.read().decode(errors="replace"))
        return out


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def save(path, rows):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def load(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [json.loads(line) for line in f if line.strip()]


def finish(rep, diffs, clean, started, extra=None):
    for d in diffs[:10]:
        print("crashloop: DIFF " + d, file=sys.stderr)
    if len(diffs) > 10:
        print(f"crashloop: ... {len(diffs) - 10} more differences", file=sys.stderr)
    keys = ["inputs", "valid", "unique_valid", "retries", "conflicts", "malformed", "kills", "startup_kills",
            "users", "outcomes", "profile_records", "mismatches", "lost", "applied_twice", "negative_balances",
            "dlq", "reordered_users", "api_checked", "partitioners", "tamper", "elapsed_s"]
    rep = dict(rep, **(extra or {}), elapsed_s=round(time.monotonic() - started, 1))
    other = {k: v for k, v in rep.items() if k not in keys and v}
    print(json.dumps({**{k: rep.get(k, 0) for k in keys}, **other}))
    return 0 if clean else 1


def generated_counts(generated):
    c = collections.Counter(r["what"] for r in generated)
    return {"inputs": len(generated), "retries": c["retry"], "conflicts": c["conflict"]}


def main():
    p = argparse.ArgumentParser(prog="scripts/crashloop")
    p.add_argument("--inputs", type=int, default=20000)
    p.add_argument("--users", type=int, default=0, help="default: inputs / 20")
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--chunks", type=int, default=0, help="default: 4 per kill, at least 12")
    p.add_argument("--rate", type=float, default=250.0, help="lines per second while a chunk is produced")
    p.add_argument("--partitioners", choices=["user", "chunk"], default="user")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--settle-timeout", type=int, default=600)
    p.add_argument("--api-sample", type=int, default=0, help="users read through the API (0: all)")
    p.add_argument("--tamper", choices=sorted(TAMPERS), help="give the fold a deliberately wrong rule")
    p.add_argument("--recheck", metavar="DIR", help="check again the data a kept run (CRASHLOOP_KEEP=1) saved")
    p.add_argument("--self-test", action="store_true", help="show, without Kafka, that each check can fail")
    p.add_argument("--jar", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "processor",
                                                 "target", "perkamo.jar"))
    env = os.environ.get
    p.add_argument("--kafka-port", type=int, default=int(env("CRASHLOOP_KAFKA_PORT", 29092)))
    p.add_argument("--controller-port", type=int, default=int(env("CRASHLOOP_CONTROLLER_PORT", 29093)))
    p.add_argument("--registry-port", type=int, default=int(env("CRASHLOOP_REGISTRY_PORT", 28081)))
    p.add_argument("--api-port", type=int, default=int(env("CRASHLOOP_API_PORT", 24001)))
    args = p.parse_args()
    args.users = args.users or max(1, args.inputs // 20)
    args.chunks = args.chunks or max(12, 4 * args.kills)
    started = time.monotonic()

    if args.self_test:
        return self_test()
    if args.recheck:
        d = args.recheck
        meta = load(os.path.join(d, "meta.jsonl"))[0]
        generated = load(os.path.join(d, "generated.jsonl"))
        dumps_ = {t: [tuple(r) for r in load(os.path.join(d, f"{t}.jsonl"))]
                  for t in ("events", "outcomes", "profiles", "dlq")}
        api = {u: tuple(v) for u, v in load(os.path.join(d, "api.jsonl"))}
        rep, diffs, clean = check(generated, dumps_["events"], dumps_["outcomes"], dumps_["profiles"], dumps_["dlq"],
                                  api, meta["partitioners"], args.tamper)
        return finish(rep, diffs, clean, started, {**generated_counts(generated), "kills": meta["kills"],
                                                   "startup_kills": meta["startup_kills"],
                                                   "partitioners": meta["partitioners"], "tamper": args.tamper})

    for port in (args.kafka_port, args.controller_port, args.registry_port, args.api_port):
        if not port_free(port):
            raise SystemExit(f"crashloop: port {port} is in use (set CRASHLOOP_*_PORT or the --*-port options)")
    work = tempfile.mkdtemp(prefix="perkamo-crashloop.")
    run = Run(args, work)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        shutil.copy(args.jar, run.jar)  # a snapshot: a rebuild during the run cannot pull it away
        generated = generate(args.inputs, args.users, args.seed, args.partitioners, args.chunks)
        counts = generated_counts(generated)
        malformed = sum(1 for r in generated if r["what"] == "malformed")
        log(f"work dir {work}; {len(generated):,} inputs ({counts['retries']:,} retries, {counts['conflicts']} "
            f"conflicts, {malformed} malformed) for {args.users:,} users in {args.chunks} chunks, "
            f"{args.kills} kills, partitioner per {args.partitioners}{', TAMPERED fold: ' + args.tamper if args.tamper else ''}")
        log(f"starting the broker on {run.bootstrap}")
        run.start_broker()
        api_key = run.set_up_space()
        log(f"Space {SPACE} created with its program and a server key; starting the processor (API :{args.api_port})")
        run.start_processor()
        run.await_processor()
        log("processor ready; producing while killing")
        producer = threading.Thread(target=run.produce, args=(generated,), daemon=True)
        producer.start()
        run.chaos()
        producer.join()
        if run.producer_error:
            raise SystemExit(f"crashloop: production failed: {run.producer_error}")
        log(f"production done: {run.produced:,} records, {run.kills} kills ({run.startup_kills} while starting)")
        run.await_processor()
        valid = len(generated) - malformed
        run.await_catch_up(valid, malformed)
        data = {t: run.read(t) for t in ("events", "outcomes", "profiles", "dlq")}
        users = sorted({r["key"] for r in generated if r["what"] != "malformed"})
        if args.api_sample:
            users = random.Random(args.seed + 2).sample(users, min(args.api_sample, len(users)))
        log(f"read back {', '.join(f'{len(v):,} {t}' for t, v in data.items())}; reading {len(users):,} "
            f"profiles through the API")
        api = run.api_profiles(api_key, users)
        save(os.path.join(work, "meta.jsonl"), [{"partitioners": args.partitioners, "kills": run.kills,
                                                 "startup_kills": run.startup_kills, "seed": args.seed}])
        save(os.path.join(work, "generated.jsonl"), generated)
        for t, rows in data.items():
            save(os.path.join(work, f"{t}.jsonl"), rows)
        save(os.path.join(work, "api.jsonl"), list(api.items()))
        rep, diffs, clean = check(generated, data["events"], data["outcomes"], data["profiles"], data["dlq"], api,
                                  args.partitioners, args.tamper)
        return finish(rep, diffs, clean, started, {**counts, "kills": run.kills, "startup_kills": run.startup_kills,
                                                   "partitioners": args.partitioners, "tamper": args.tamper})
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in (run.processor, run.broker):
            if proc is not None:
                proc.stop()
        if os.environ.get("CRASHLOOP_KEEP") == "1":
            log(f"data kept in {work} (re-check with: scripts/crashloop --recheck {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
