package dev.racetrace.agent.export.assemble;

/**
 * Turns racetrace.memory.max into fixed entry caps, one per table of the exporter's state, decided
 * at start: racetrace's heap then stays within the budget whatever the event rate, and what does
 * not fit is dropped (oldest first) and counted instead of grown.
 *
 * <p>The bytes per entry are conservative estimates of the retained size with compressed
 * references (object headers, the map entry, the boxed key, the span context and its id strings);
 * the shares favour the producer index, which matching depends on most.
 *
 * <pre>
 *   table                         share   bytes/entry
 *   enqueues awaiting a dequeue    30 %     320
 *   submits awaiting a task run    10 %     320
 *   parked consumers               10 %     480
 *   threads' open work              8 %     480 (a stack of up to MAX_STACK works)
 *   rule checker operations        10 %     640 (also the cap on keys)
 *   latch open times, names         4 %     120
 *   events drained per cycle       12 %     240
 *   spans pending and in flight    16 %    1024
 * </pre>
 */
public final class StateLimits {
  static final long PRODUCER_BYTES = 320;
  static final long WORK_BYTES = 480;
  static final long RULE_KEY_BYTES = 640;
  static final long SMALL_ENTRY_BYTES = 120;
  static final long EVENT_BYTES = 240;
  static final long SPAN_BYTES = 1024;
  /** Open works kept per thread; deeper nesting ends the outermost early (inferred). */
  static final int MAX_STACK = 64;
  /** No table gets fewer entries than this, whatever the budget (a 256 KiB budget still matches). */
  private static final int MIN_ENTRIES = 64;
  /** The exporter's per-cycle event batch never exceeds this (the rings are drained more often). */
  static final int MAX_EVENTS_PER_CYCLE = 16_384;
  private static final int MIN_EVENTS_PER_CYCLE = 256;
  /** The span batch never exceeds this (an OTLP request of about 2 MB). */
  static final int MAX_SPAN_BATCH = 2048;
  /** Batches the span sink may have unanswered per exporter ({@code SpanSink.IN_FLIGHT}). */
  public static final int IN_FLIGHT = 2;

  final long budgetBytes;
  final int enqueues;
  final int submits;
  final int parked;
  public final int threads;
  final int ruleKeys;
  public final int small;
  public final int eventsPerCycle;
  public final int spanBatch;

  private StateLimits(long budgetBytes) {
    this.budgetBytes = budgetBytes;
    enqueues = entries(budgetBytes, 30, PRODUCER_BYTES);
    submits = entries(budgetBytes, 10, PRODUCER_BYTES);
    parked = entries(budgetBytes, 10, WORK_BYTES);
    threads = entries(budgetBytes, 8, WORK_BYTES);
    ruleKeys = entries(budgetBytes, 10, RULE_KEY_BYTES);
    small = entries(budgetBytes, 4, SMALL_ENTRY_BYTES);
    eventsPerCycle = Math.max(MIN_EVENTS_PER_CYCLE,
        Math.min(MAX_EVENTS_PER_CYCLE, entries(budgetBytes, 12, EVENT_BYTES)));
    // the sink holds one pending batch and IN_FLIGHT more per exporter
    spanBatch = Math.max(MIN_ENTRIES,
        Math.min(MAX_SPAN_BATCH, entries(budgetBytes, 16, SPAN_BYTES) / (1 + IN_FLIGHT)));
  }

  /** The caps for a budget of {@code budgetBytes} (racetrace.memory.max). */
  public static StateLimits of(long budgetBytes) {
    return new StateLimits(budgetBytes);
  }

  private static int entries(long budget, int percent, long entryBytes) {
    return (int) Math.max(MIN_ENTRIES, Math.min(Integer.MAX_VALUE, budget / 100 * percent / entryBytes));
  }

  @Override
  public String toString() {
    return "StateLimits{" + (budgetBytes >> 10) + " KiB: enqueues=" + enqueues + ", submits=" + submits
        + ", parked=" + parked + ", threads=" + threads + ", ruleKeys=" + ruleKeys + ", small=" + small
        + ", eventsPerCycle=" + eventsPerCycle + ", spanBatch=" + spanBatch + "}";
  }
}
