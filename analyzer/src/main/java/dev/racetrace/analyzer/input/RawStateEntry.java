package dev.racetrace.analyzer.input;

/**
 * One node-local raw read: what {@code node} has persisted for {@code key}.
 *
 * @param node the node ({@code service.instance.id})
 * @param key the entity key
 * @param value the value as text (objects and arrays as compact JSON); null if the node has none
 * @param version the version, or null when the store has none
 */
public record RawStateEntry(String node, String key, String value, Long version) {}
