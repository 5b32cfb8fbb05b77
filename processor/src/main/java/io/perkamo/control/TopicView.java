package io.perkamo.control;

import io.perkamo.topics.ControlTopic;

/**
 * One control topic's part of the read model. {@link ControlView} hands it every record of
 * its topic in offset order, on the view's thread; reads may come from any thread. A new
 * control topic (webhook endpoints, signing keys ...) is a new TopicView given to the view.
 */
interface TopicView {

    ControlTopic topic();

    /**
     * Applies one record; {@code value} null is a tombstone (the entry is deleted). Throws
     * {@link IllegalArgumentException} for a record it cannot read: the view skips it.
     */
    void apply(String key, byte[] value);
}
