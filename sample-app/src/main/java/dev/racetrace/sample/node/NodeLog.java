package dev.racetrace.sample.node;

import java.io.PrintStream;

/** A node's human-readable log lines (stdout; the demo prefixes them with {@code [node-N]}). */
public final class NodeLog {
  private final PrintStream out;
  private final boolean logOps;
  private final long originNanos = System.nanoTime();

  /**
   * @param out where lines go
   * @param logOps whether {@link #op} prints
   */
  public NodeLog(PrintStream out, boolean logOps) {
    this.out = out;
    this.logOps = logOps;
  }

  /** A stream that discards everything (for the warm-up's scratch node). */
  PrintStream quiet() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }

  /** An informational line. */
  public void info(String line) {
    out.println(line);
  }

  /** One operation's outcome; printed only with {@code --log-ops}. */
  void op(Operation op, String what) {
    if (logOps) {
      long micros = (System.nanoTime() - originNanos) / 1_000;
      out.println(String.format("%8.1f ms %s %s: %s", micros / 1000.0,
          Thread.currentThread().getName(), op, what));
    }
  }
}
