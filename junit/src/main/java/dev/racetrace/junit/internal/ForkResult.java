package dev.racetrace.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything the fork ran, in the order it finished; written by {@link ForkMain}, read by the test JVM. */
public final class ForkResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<TestRun> runs;

  ForkResult(List<TestRun> runs) {
    this.runs = new ArrayList<>(runs);
  }

  public List<TestRun> runs() {
    return Collections.unmodifiableList(runs);
  }

  /** The run with this unique id, or null. */
  public TestRun find(String uniqueId) {
    for (TestRun r : runs) {
      if (r.uniqueId().equals(uniqueId)) {
        return r;
      }
    }
    return null;
  }

  /** Tests whose unique id starts with {@code prefix} (the invocations of a template), in order. */
  public List<TestRun> testsUnder(String prefix) {
    List<TestRun> out = new ArrayList<>();
    for (TestRun r : runs) {
      if (r.isTest() && r.uniqueId().startsWith(prefix + "/")) {
        out.add(r);
      }
    }
    return out;
  }

  /** The first failed container (class set-up, template), or null. */
  public TestRun failedContainer() {
    for (TestRun r : runs) {
      if (!r.isTest() && r.status() == TestRun.Status.FAILED) {
        return r;
      }
    }
    return null;
  }

  void write(Path file) throws IOException {
    try (OutputStream o = Files.newOutputStream(file); ObjectOutputStream out = new ObjectOutputStream(o)) {
      out.writeObject(this);
    }
  }

  /**
   * Reads a result file this library's fork wrote (a file in the test's own work directory;
   * only {@link ForkResult} and its parts are accepted at the top level).
   */
  public static ForkResult read(Path file) throws IOException {
    try (InputStream i = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(i)) {
      Object o = in.readObject();
      if (!(o instanceof ForkResult)) {
        throw new IOException(file + ": not a racetrace fork result");
      }
      return (ForkResult) o;
    } catch (ClassNotFoundException e) {
      throw new IOException(file + ": " + e, e);
    }
  }
}
