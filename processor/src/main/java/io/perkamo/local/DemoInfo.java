package io.perkamo.local;

import io.perkamo.control.ApiKeys;
import io.perkamo.control.Space;

/** The demo Space of local mode with its keys in plain text (local mode prints them). */
public record DemoInfo(Space space, String serverKey, String browserKey) {

    @Override
    public String toString() {
        return "DemoInfo[space=" + space.slug() + ", serverKey=" + ApiKeys.displayPrefix(serverKey)
                + ", browserKey=" + ApiKeys.displayPrefix(browserKey) + "]";
    }
}
