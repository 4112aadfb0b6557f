package dev.racetrace.core;

/** How an instrumented call ended ({@code race.outcome}). */
public final class Outcome {
  private Outcome() {}

  /** Returned normally with the awaited effect. */
  public static final int OK = 0;
  /** A timed wait expired without the awaited effect. */
  public static final int TIMED_OUT = 1;
  /** Threw InterruptedException. */
  public static final int INTERRUPTED = 2;
  /** Threw another exception. */
  public static final int EXCEPTION = 3;
  /** A non-blocking attempt refused (offer false, tryAcquire/tryLock false). */
  public static final int REJECTED = 4;
  /** A non-blocking dequeue found nothing. */
  public static final int EMPTY = 5;

  /** Stable exported name of an outcome. */
  public static String name(int outcome) {
    switch (outcome) {
      case OK: return "ok";
      case TIMED_OUT: return "timed_out";
      case INTERRUPTED: return "interrupted";
      case EXCEPTION: return "exception";
      case REJECTED: return "rejected";
      case EMPTY: return "empty";
      default: return "unknown";
    }
  }

  /** The outcome of a call that threw {@code t}. */
  public static int of(Throwable t) {
    return t instanceof InterruptedException ? INTERRUPTED : EXCEPTION;
  }
}
