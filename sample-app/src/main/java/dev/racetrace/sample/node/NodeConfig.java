package dev.racetrace.sample.node;

import java.util.Objects;

/**
 * How one node runs one seed.
 *
 * @param id the node id, e.g. {@code node-2} (also its {@code service.instance.id})
 * @param seed the input log's seed
 * @param keys number of entities in the log
 * @param mode broken or fixed
 * @param congested whether this node gets the burst of background work
 * @param workers worker threads taking from the work queue
 * @param metadataWaitMillis the timed wait's limit ("wait up to N ms for metadata, then go on")
 * @param logOps whether to log every operation
 */
public record NodeConfig(String id, long seed, int keys, Mode mode, boolean congested, int workers,
    long metadataWaitMillis, boolean logOps) {
  /** Default number of worker threads. */
  public static final int DEFAULT_WORKERS = 2;
  /** Default limit of the timed wait, in milliseconds. */
  public static final long DEFAULT_METADATA_WAIT_MILLIS = 20;

  public NodeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(mode, "mode");
    if (keys < 1) {
      throw new IllegalArgumentException("keys must be at least 1, got " + keys);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (metadataWaitMillis < 0) {
      throw new IllegalArgumentException("metadataWaitMillis must not be negative, got "
          + metadataWaitMillis);
    }
  }

  /** The same configuration for another seed and congestion. */
  public NodeConfig forSeed(long otherSeed, boolean otherCongested) {
    return new NodeConfig(id, otherSeed, keys, mode, otherCongested, workers, metadataWaitMillis,
        logOps);
  }
}
