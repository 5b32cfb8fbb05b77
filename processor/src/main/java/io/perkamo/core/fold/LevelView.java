package io.perkamo.core.fold;

import java.util.Optional;

/**
 * A profile's level for display. progress = (current - currentLevelAt) / (nextLevelAt -
 * currentLevelAt), clamped to 0..1; 1.0 at the top level (nextLevelAt empty). The only
 * floating point value in core, and never used to decide anything.
 */
public record LevelView(String wallet, int level, String name, long current, long currentLevelAt,
                        Optional<Long> nextLevelAt, double progress) {
}
