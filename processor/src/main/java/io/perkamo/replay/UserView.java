package io.perkamo.replay;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.perkamo.core.fold.ProfileState;
import io.perkamo.schemas.avro.Profile;

/** What a report shows of a profile: balances, level, perks. */
record UserView(Map<String, Long> wallets, int level, List<String> perks) {
    static final UserView NONE = new UserView(Map.of(), 0, List.of());

    UserView {
        wallets = Map.copyOf(new TreeMap<>(wallets));
        perks = List.copyOf(perks);
    }

    static UserView of(ProfileState s) {
        return new UserView(s.wallets(), s.level(), List.copyOf(s.perks().keySet()));
    }

    static UserView of(Profile p) {
        return new UserView(p.getWallets(), p.getLevel() == null ? 0 : p.getLevel().getLevel(),
                p.getPerks().stream().map(x -> x.getKey()).sorted().toList());
    }

    long balance(String wallet) {
        return wallets.getOrDefault(wallet, 0L);
    }
}
