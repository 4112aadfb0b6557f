package dev.racetrace.sample.node;

import java.util.Comparator;

/**
 * One entry of the input log, as it travels through {@code Node.workQueue}. One class per
 * operation, so the agent can name operations by class ({@code racetrace.ops}) and read their
 * entity key through {@link #key()} ({@code racetrace.keys=dev.racetrace.sample.node.Operation#key}).
 */
public interface Operation {
  /** Workers take foreground work first, then the log's order. */
  Comparator<Operation> QUEUE_ORDER =
      Comparator.comparing(Operation::lane).thenComparingLong(Operation::offset);

  /** The entity key this operation works on, or null for work that belongs to no key. */
  String key();

  /** Position in the input log (0-based); equal on every node for the same seed. */
  long offset();

  /** The scheduling lane. */
  Lane lane();

  /**
   * Applies the operation on {@code node}. Called on a worker thread, after the startup latch.
   *
   * @throws InterruptedException if the worker is interrupted (node shutting down)
   * @throws RuntimeException the operation failed (counted; the node carries on)
   */
  void apply(Node node) throws InterruptedException;
}
