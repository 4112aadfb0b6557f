package dev.racetrace.sample.node;

/**
 * Dependency metadata of one entity: the rate {@code derive} applies to the entity's payload.
 *
 * @param key the entity key
 * @param version increases with every update; a load with a version that is not newer is a no-op
 * @param rate a percentage, e.g. {@code 120} turns 1000 into 1200; must be positive
 */
public record MetadataEntry(String key, long version, int rate) {}
