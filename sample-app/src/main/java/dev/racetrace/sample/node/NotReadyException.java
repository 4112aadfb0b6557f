package dev.racetrace.sample.node;

/** Work reached a node that has not declared itself ready. */
public final class NotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NotReadyException(String message) {
    super(message);
  }
}
