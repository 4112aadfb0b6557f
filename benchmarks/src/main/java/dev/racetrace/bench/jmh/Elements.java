package dev.racetrace.bench.jmh;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A per-thread pool of queue elements, reused round-robin so the baseline allocates nothing.
 * Their identity hash codes are computed once (the first time racetrace records them); a fresh
 * element per call is measured separately ({@code QueueBench.fresh*}).
 */
@State(Scope.Thread)
public class Elements {
  private static final int SIZE = 1024;
  private final Object[] pool = new Object[SIZE];
  private int next;

  public Elements() {
    for (int i = 0; i < SIZE; i++) {
      pool[i] = new Object();
    }
  }

  Object next() {
    return pool[next++ & (SIZE - 1)];
  }
}
