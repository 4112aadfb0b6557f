package dev.racetrace.analyzer.input.remote;

import java.net.URI;
import java.util.Objects;

/**
 * What to fetch from a backend: its base URL (e.g. {@code http://localhost:9411}), the service,
 * the key and the time window. Unset times are {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE}.
 */
public final class BackendQuery {
  /** Traces fetched at most per query; more are reported as a note. */
  public static final int DEFAULT_LIMIT = 10_000;
  /** The window looked back over when {@code --from} is not given (24 hours, Zipkin's default). */
  public static final long DEFAULT_LOOKBACK_NANOS = 24L * 3600 * 1_000_000_000L;

  private final Backend backend;
  private final URI base;
  private final String service;
  private final String key;
  private final long fromNanos;
  private final long toNanos;
  private final int limit;

  /**
   * @param backend which API
   * @param base the backend's base URL, without the API path
   * @param service {@code service.name}, or null (Jaeger needs one)
   * @param key {@code race.key}, or null for every key
   * @param fromNanos window start, epoch ns, or {@link Long#MIN_VALUE}
   * @param toNanos window end, epoch ns, or {@link Long#MAX_VALUE}
   * @param limit traces fetched at most
   */
  public BackendQuery(Backend backend, URI base, String service, String key, long fromNanos,
      long toNanos, int limit) {
    this.backend = Objects.requireNonNull(backend, "backend");
    String b = Objects.requireNonNull(base, "base").toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.service = service;
    this.key = key;
    this.fromNanos = fromNanos;
    this.toNanos = toNanos;
    this.limit = limit;
  }

  public Backend backend() {
    return backend;
  }

  /** The base URL, without a trailing slash. */
  public URI base() {
    return base;
  }

  public String service() {
    return service;
  }

  public String key() {
    return key;
  }

  public int limit() {
    return limit;
  }

  /** Window end in epoch ns: {@code --to}, else {@code nowNanos}. */
  long end(long nowNanos) {
    return toNanos == Long.MAX_VALUE ? nowNanos : toNanos;
  }

  /** Window start in epoch ns: {@code --from}, else 24 hours before {@link #end}. */
  long start(long nowNanos) {
    return fromNanos == Long.MIN_VALUE ? end(nowNanos) - DEFAULT_LOOKBACK_NANOS : fromNanos;
  }

  @Override
  public String toString() {
    return backend.option() + " " + base + (service != null ? " --service " + service : "")
        + (key != null ? " --key " + key : "");
  }
}
