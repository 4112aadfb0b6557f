package dev.racetrace.sample.support;

import java.util.OptionalLong;

/**
 * Requests from whoever runs a node process: start the log at an instant, stop. Set by the debug
 * endpoint ({@code POST /start}, {@code POST /shutdown}) or by the stdin watcher.
 */
public final class NodeControl {
  private long startAt = Long.MIN_VALUE;
  private boolean shutdown;

  /**
   * Asks the node to start its log at {@code epochMillis}.
   *
   * @return false when a start was already requested
   */
  public synchronized boolean requestStart(long epochMillis) {
    if (startAt != Long.MIN_VALUE) {
      return false;
    }
    startAt = epochMillis;
    notifyAll();
    return true;
  }

  /** Asks the node to stop. */
  public synchronized void requestShutdown() {
    shutdown = true;
    notifyAll();
  }

  /** Whether a stop was requested. */
  public synchronized boolean shutdownRequested() {
    return shutdown;
  }

  /**
   * Waits for a start request (or a stop request).
   *
   * @return the epoch millisecond to start at, or empty when a stop came first
   */
  public synchronized OptionalLong awaitStart() throws InterruptedException {
    while (startAt == Long.MIN_VALUE && !shutdown) {
      wait();
    }
    return shutdown && startAt == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(startAt);
  }

  /** Waits for a stop request. */
  public synchronized void awaitShutdown() throws InterruptedException {
    while (!shutdown) {
      wait();
    }
  }
}
