package dev.racetrace.sample;

/** A node process failed to start, to finish, or to answer. */
public final class NodeFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what happened, with the node's last output where known */
  public NodeFailedException(String message) {
    super(message);
  }
}
