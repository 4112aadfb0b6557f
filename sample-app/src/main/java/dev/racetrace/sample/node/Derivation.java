package dev.racetrace.sample.node;

/**
 * What {@code derive} wrote for a key and {@code publish} persists.
 *
 * @param key the entity key
 * @param value the derived value: payload x rate / 100
 * @param metadataVersion the metadata version it was derived from (0: derived without metadata)
 * @param derivedAtMicros epoch microseconds at derivation; the record's last-writer-wins timestamp
 */
public record Derivation(String key, String value, long metadataVersion, long derivedAtMicros) {}
