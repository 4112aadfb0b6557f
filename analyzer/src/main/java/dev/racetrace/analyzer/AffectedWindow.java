package dev.racetrace.analyzer;

/**
 * Step 5: a key on a node whose state may be damaged, and when (the node's clock).
 *
 * @param node the node
 * @param key the key
 * @param fromNanos start of the window (epoch ns), or {@link Long#MIN_VALUE} when unknown
 * @param toNanos end of the window, or {@link Long#MIN_VALUE} when unknown
 * @param reason {@code break} (an ordering break) or {@code divergence} (the raw value differs)
 */
public record AffectedWindow(String node, String key, long fromNanos, long toNanos,
    String reason) {}
