package dev.racetrace.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: the recorder is process-wide, so a test that starts it runs its {@code main} in a
 * fresh JVM on the test class path and checks what it printed.
 */
public final class FreshJvm {
  private FreshJvm() {}

  /**
   * Runs {@code mainClass} with {@code jvmOptions} and returns its output (stdout and stderr);
   * fails the test if it does not finish within 60 s or exits with non-zero status.
   */
  public static String run(Class<?> mainClass, String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finishes within 60 s", mainClass.getSimpleName()).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** A record drained from the rings: its kind and slot A. */
  public interface RecordVisitor {
    void visit(int kind, long a);
  }

  /** Drains up to 64 records from every ring, oldest first per ring. */
  public static void drain(RecordVisitor visitor) {
    long[] buf = new long[64 * EventRing.RECORD_LONGS];
    Object[] refs = new Object[64 * EventRing.RECORD_REFS];
    for (RingRegistry.Entry e : Recorder.registry().entries()) {
      int n = e.ring().drainTo(buf, refs, 64);
      for (int i = 0; i < n; i++) {
        int base = i * EventRing.RECORD_LONGS;
        visitor.visit((int) (buf[base + EventRing.META] & 0xFF), buf[base + EventRing.A]);
      }
    }
  }
}
