package dev.racetrace.analyzer;

/**
 * Step 2: where to look. The odd node, one key, the healthy node to compare it with, and the
 * window of the operations on that key on the odd node (its own clock).
 *
 * @param node the odd (or chosen) node
 * @param key the key
 * @param healthyNode the node to compare with, or null when there is none
 * @param fromNanos first initiation of an operation on the key on {@code node} (epoch ns), or
 *     {@link Long#MIN_VALUE} when it has none
 * @param toNanos last end of an operation on the key on {@code node}
 * @param why how it was chosen, e.g. {@code "only node whose value differs for 3 keys"}
 */
public record Focus(String node, String key, String healthyNode, long fromNanos, long toNanos,
    String why) {

  /** Whether there is a time window (the node has operations on the key). */
  public boolean hasWindow() {
    return fromNanos != Long.MIN_VALUE;
  }
}
