package dev.racetrace.agent.config;

import java.util.Map;
import java.util.Set;

/**
 * Keeps racetrace's memory within a fixed share of the application's heap, decided at start so
 * that nothing is allocated that cannot fit: the event rings get at most 1/8 of the max heap
 * ({@code -Xmx}) and, in flight mode, the journal chunk ring (or the retained spans) another 1/8.
 *
 * <p>A value the user set that does not fit is a {@link ConfigException} naming the key, the value
 * and the limit. A value left at its default (buffer size, threads with a ring of their own, flight
 * size) is lowered to what fits, so racetrace starts with any heap the application runs with.
 */
public final class MemoryBudget {
  /** Bytes of one ring record: eight longs and two compressed references (see EventRing). */
  public static final long RECORD_BYTES = 8 * Long.BYTES + 2 * 4;
  /** Estimated bytes of one span retained in flight mode. */
  public static final long FLIGHT_SPAN_BYTES = 1024;
  /** The share of the max heap for the rings, and for the flight spans: 1/8 each. */
  public static final int HEAP_SHARE_DIVISOR = 8;
  /** Threads with a ring of their own when racetrace.buffer.threads is unset and the heap allows. */
  static final int DEFAULT_OWNED_RINGS = 512;
  /** Spans retained in flight mode when racetrace.flight.size is unset and the heap allows. */
  static final int DEFAULT_FLIGHT_SIZE = 20_000;
  private static final int MIN_SHARED_RINGS = 2;
  /** The smallest ring the default buffer size is lowered to on a tiny heap. */
  private static final int MIN_DEFAULT_CAPACITY = 256;
  private static final int MAX_SHARED_RINGS = 64;
  /** racetrace.memory.max may take at most this share of the max heap (1/4). */
  static final int STATE_SET_DIVISOR = 4;
  /** The smallest state budget the default is lowered to on a tiny heap. */
  private static final long MIN_STATE_BYTES = 256 << 10;

  /** The sizes racetrace allocates with. */
  public static final class Plan {
    public final int ringCapacity;
    public final int ownedRings;
    public final int sharedRings;
    public final int flightSize;
    /** Flight mode on the journal: bytes of journal chunks kept in memory (racetrace.flight.maxsize). */
    public final long flightJournalBytes;
    /** Bytes for the exporter's matching and assembly state (racetrace.memory.max). */
    public final long stateBytes;

    Plan(int ringCapacity, int ownedRings, int sharedRings, int flightSize, long flightJournalBytes,
        long stateBytes) {
      this.flightJournalBytes = flightJournalBytes;
      this.ringCapacity = ringCapacity;
      this.ownedRings = ownedRings;
      this.sharedRings = sharedRings;
      this.flightSize = flightSize;
      this.stateBytes = stateBytes;
    }

    /** Worst-case bytes of all rings. */
    public long ringBytes() {
      return (long) (ownedRings + sharedRings) * ringCapacity * RECORD_BYTES;
    }
  }

  private MemoryBudget() {}

  /**
   * @param values every key's checked value (defaults filled in)
   * @param set the keys the user set
   * @param maxHeapBytes {@link Runtime#maxMemory()}
   * @param cpus available processors (the number of shared rings follows it)
   */
  static Plan plan(Map<String, String> values, Set<String> set, long maxHeapBytes, int cpus)
      throws ConfigException {
    long share = Math.max(0, maxHeapBytes) / HEAP_SHARE_DIVISOR;
    int capacity = Integer.parseInt(values.get(ConfigKey.BUFFER_SIZE.key()));
    if (!set.contains(ConfigKey.BUFFER_SIZE.key())) {
      while (capacity > MIN_DEFAULT_CAPACITY && MIN_SHARED_RINGS * capacity * RECORD_BYTES > share / 2) {
        capacity >>= 1; // a tiny heap: smaller rings rather than no agent
      }
    }
    long ringBytes = capacity * RECORD_BYTES;

    // virtual threads and threads beyond the owned rings share a few striped rings (a power of two)
    int shared = Integer.highestOneBit(Math.max(1, cpus) * 2);
    shared = Math.max(MIN_SHARED_RINGS, Math.min(MAX_SHARED_RINGS, shared));
    while (shared > MIN_SHARED_RINGS && shared * ringBytes > share / 2) {
      shared >>= 1; // shared rings take at most half the share unless the minimum needs more
    }
    if (shared * ringBytes > share) {
      long fit = Long.highestOneBit(Math.max(1, share / (MIN_SHARED_RINGS * RECORD_BYTES)));
      throw new ConfigException(ConfigKey.BUFFER_SIZE.key(), values.get(ConfigKey.BUFFER_SIZE.key()),
          shared + " shared rings of " + capacity + " events need " + mib(shared * ringBytes)
              + ", more than racetrace's share of the heap (1/" + HEAP_SHARE_DIVISOR + " of the max heap "
              + mib(maxHeapBytes) + " = " + mib(share) + "); at most " + (fit < 16 ? "none" : fit)
              + " fits");
    }
    long ownedFit = (share - shared * ringBytes) / ringBytes;
    int owned;
    String threads = values.get(ConfigKey.BUFFER_THREADS.key());
    if (set.contains(ConfigKey.BUFFER_THREADS.key())) {
      owned = Integer.parseInt(threads);
      if (owned > ownedFit) {
        throw new ConfigException(ConfigKey.BUFFER_THREADS.key(), threads,
            owned + " rings of " + capacity + " events (" + RECORD_BYTES + " B each) plus " + shared
                + " shared need " + mib((owned + shared) * ringBytes) + ", more than racetrace's share of "
                + "the heap (1/" + HEAP_SHARE_DIVISOR + " of the max heap " + mib(maxHeapBytes) + " = "
                + mib(share) + "); at most " + ownedFit + " fit with racetrace.buffer.size=" + capacity);
      }
    } else {
      owned = (int) Math.min(DEFAULT_OWNED_RINGS, ownedFit);
    }

    int flight = Integer.parseInt(values.get(ConfigKey.FLIGHT_SIZE.key()));
    long flightFit = share / FLIGHT_SPAN_BYTES;
    boolean flightMode = RecordingMode.parse(values.get(ConfigKey.MODE.key())) == RecordingMode.FLIGHT;
    if (!set.contains(ConfigKey.FLIGHT_SIZE.key())) {
      flight = (int) Math.max(1, Math.min(DEFAULT_FLIGHT_SIZE, flightFit));
    } else if (flightMode && flight > flightFit) {
      throw new ConfigException(ConfigKey.FLIGHT_SIZE.key(), values.get(ConfigKey.FLIGHT_SIZE.key()),
          "spans of about 1 KiB each need " + mib(flight * FLIGHT_SPAN_BYTES) + ", more than racetrace's "
              + "share of the heap (1/" + HEAP_SHARE_DIVISOR + " of the max heap " + mib(maxHeapBytes)
              + " = " + mib(share) + "); at most " + flightFit + " fit");
    }
    return new Plan(capacity, owned, shared, flight, flightJournalBytes(values, set, maxHeapBytes, flightMode),
        stateBytes(values, set, maxHeapBytes));
  }

  /** The journal's flight ring at least this large when its default is lowered to fit a small heap. */
  private static final long MIN_FLIGHT_JOURNAL_BYTES = 1 << 20;

  /**
   * racetrace.flight.maxsize: as set, if within 1/{@link #HEAP_SHARE_DIVISOR} of the max heap in
   * flight mode; left at its default, lowered to that share (at least 1 MiB).
   */
  private static long flightJournalBytes(Map<String, String> values, Set<String> set, long maxHeapBytes,
      boolean flightMode) throws ConfigException {
    String key = ConfigKey.FLIGHT_MAXSIZE.key();
    long bytes = ValueType.parseBytes(key, values.get(key));
    long share = Math.max(0, maxHeapBytes) / HEAP_SHARE_DIVISOR;
    if (!set.contains(key)) {
      return Math.max(MIN_FLIGHT_JOURNAL_BYTES, Math.min(bytes, share));
    }
    if (flightMode && bytes > share) {
      throw new ConfigException(key, values.get(key), "more than racetrace's share of the heap (1/"
          + HEAP_SHARE_DIVISOR + " of the max heap " + mib(maxHeapBytes) + " = " + mib(share) + ")");
    }
    return bytes;
  }

  /**
   * racetrace.memory.max: as set, if within 1/{@link #STATE_SET_DIVISOR} of the max heap; left at
   * its default, lowered to 1/{@link #HEAP_SHARE_DIVISOR} of the max heap when that is less.
   */
  private static long stateBytes(Map<String, String> values, Set<String> set, long maxHeapBytes)
      throws ConfigException {
    String key = ConfigKey.MEMORY_MAX.key();
    long bytes = ValueType.parseBytes(key, values.get(key));
    long heap = Math.max(0, maxHeapBytes);
    if (!set.contains(key)) {
      return Math.max(MIN_STATE_BYTES, Math.min(bytes, heap / HEAP_SHARE_DIVISOR));
    }
    if (bytes > heap / STATE_SET_DIVISOR) {
      throw new ConfigException(key, values.get(key), "more than 1/" + STATE_SET_DIVISOR
          + " of the max heap " + mib(maxHeapBytes) + "; at most " + mib(heap / STATE_SET_DIVISOR) + " fits");
    }
    return bytes;
  }

  private static String mib(long bytes) {
    if (bytes == Long.MAX_VALUE) {
      return "unlimited";
    }
    long m = bytes >> 20;
    return m > 0 ? m + " MiB" : (bytes >> 10) + " KiB";
  }
}
