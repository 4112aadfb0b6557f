package dev.racetrace.sample.node;

/** A {@code load-metadata} carried metadata the node rejects (the operation's failure path). */
public final class InvalidMetadataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidMetadataException(String message) {
    super(message);
  }
}
