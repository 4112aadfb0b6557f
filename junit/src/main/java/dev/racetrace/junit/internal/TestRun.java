package dev.racetrace.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one test (or failed container) in the fork, as written to the result file. The
 * exception travels by Java serialization so the test JVM rethrows the very type and message;
 * when it is not serializable, its text (class, message, stack trace) stands in.
 */
public final class TestRun implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How it ended. */
  public enum Status { SUCCESSFUL, FAILED, ABORTED, SKIPPED }

  private final String uniqueId;
  private final String displayName;
  private final boolean test;
  private final Status status;
  private final String reason;
  private final byte[] throwable;
  private final String throwableText;
  private final Map<String, String> entries;

  TestRun(String uniqueId, String displayName, boolean test, Status status, String reason,
      Throwable failure, Map<String, String> entries) {
    this.uniqueId = uniqueId;
    this.displayName = displayName;
    this.test = test;
    this.status = status;
    this.reason = reason;
    this.throwable = failure == null ? null : serialize(failure);
    this.throwableText = failure == null ? null : text(failure);
    this.entries = new LinkedHashMap<>(entries);
  }

  /** The JUnit unique id, identical to the test JVM's. */
  public String uniqueId() {
    return uniqueId;
  }

  public String displayName() {
    return displayName;
  }

  /** True for a test, false for a container (class, template) that failed. */
  public boolean isTest() {
    return test;
  }

  public Status status() {
    return status;
  }

  /** Why it was skipped, or null. */
  public String reason() {
    return reason;
  }

  /** Report entries the test published (run, seed, time window of a chaos run). */
  public Map<String, String> entries() {
    return entries;
  }

  /** The report entry {@code key} as a long, or {@code otherwise}. */
  public long entry(String key, long otherwise) {
    String v = entries.get(key);
    try {
      return v == null ? otherwise : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /**
   * The fork's exception, rebuilt: the original object when it could be serialized and its class
   * loads here, else a {@link ForkedFailure} carrying its text. Null when there was none.
   */
  public Throwable failure() {
    if (throwable != null) {
      try (ObjectInputStream in = new ContextClassLoaderObjectInputStream(new ByteArrayInputStream(throwable))) {
        return (Throwable) in.readObject();
      } catch (IOException | ClassNotFoundException | ClassCastException e) {
        // fall through to the text form
      }
    }
    return throwableText == null ? null : new ForkedFailure(throwableText);
  }

  private static byte[] serialize(Throwable t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(t);
    } catch (IOException e) {
      return null; // not serializable (a field of it): the text form stands in
    }
    return bytes.toByteArray();
  }

  private static String text(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Resolves classes with the context class loader first (the test's loader under Surefire). */
  private static final class ContextClassLoaderObjectInputStream extends ObjectInputStream {
    ContextClassLoaderObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      if (cl != null) {
        try {
          return Class.forName(desc.getName(), false, cl);
        } catch (ClassNotFoundException e) {
          // not visible there: the default resolution below
        }
      }
      return super.resolveClass(desc);
    }
  }
}
