package dev.racetrace.junit.internal;

/**
 * Stands in for an exception of the forked test that could not be sent back as itself (not
 * serializable): its message is the original's class, message and stack trace.
 */
public final class ForkedFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  ForkedFailure(String originalText) {
    super("in the forked JVM: " + originalText);
    setStackTrace(new StackTraceElement[0]);
  }
}
