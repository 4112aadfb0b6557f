package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.SpanFile.Span;
import dev.racetrace.it.thirdparty.JettyProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Narrowing a library recording, as docs/libraries.md tells a user to: a Jetty 12 server with all
 * of org.eclipse.jetty enabled, then with its lock wrapper AutoLock excluded, then with only queues
 * and executors recorded. Each narrowed run prints exactly what the plain run prints and records far
 * fewer spans per request; the figures printed here are the ones in docs/libraries.md.
 */
class NarrowingIT {
  private static final int REQUESTS = 300;
  private static final String JETTY = "org.eclipse.jetty";
  private static final String AUTO_LOCK = "org.eclipse.jetty.util.thread.AutoLock";

  @TempDir static Path dir;
  private static ForkedJvm.Result plain;
  private static double broadPerRequest;
  private static SpanFile broad;

  @BeforeAll
  static void plainAndBroadRuns() throws Exception {
    plain = ForkedJvm.plain().classpath(classpath()).run(JettyProgram.class, Integer.toString(REQUESTS));
    assertThat(plain.exitCode).as(plain.toString()).isZero();
    assertThat(plain.stdout).contains("ok=" + REQUESTS);
    broad = traced("broad");
    broadPerRequest = perRequest(broad);
    System.out.printf(Locale.ROOT, "NarrowingIT: include=%s: %.1f spans/request (%d spans, %d with a call site in "
        + "AutoLock, %d lock events)%n", JETTY, broadPerRequest, spans(broad).size(), inAutoLock(broad).size(),
        broad.where(s -> s.event() != null && s.event().startsWith("lock.")).size());
    // AutoLock.lock()/close() only wrap a ReentrantLock: their acquire/release is recorded where they are called
    List<Span> locks = broad.where(s -> "lock.acquire".equals(s.event()) || "lock.release".equals(s.event()));
    assertThat(locks).as("lock events").isNotEmpty()
        .noneMatch(s -> s.str("code.namespace").startsWith(AUTO_LOCK));
    assertThat(locks.stream().map(s -> s.str("race.guard.object")).distinct().count())
        .as("locks named after the callers' fields, not one AutoLock._lock").isGreaterThan(1);
  }

  @Test
  void excludingTheLockWrapperClassDropsItsEventsAndKeepsTheOutput() throws Exception {
    SpanFile narrowed = traced("no-autolock", "-Dracetrace.exclude=" + AUTO_LOCK);
    double per = perRequest(narrowed);
    System.out.printf(Locale.ROOT, "NarrowingIT: exclude=%s: %.1f spans/request (%d spans)%n", AUTO_LOCK, per,
        spans(narrowed).size());
    assertThat(inAutoLock(narrowed)).as("events with a call site in AutoLock or its nested classes").isEmpty();
    assertThat(per).as("spans per request, vs %.1f without the exclude", broadPerRequest)
        .isLessThan(broadPerRequest * 0.25);
    assertThat(narrowed.where(s -> "queue.enqueue".equals(s.event()))).as("Jetty's queues still recorded")
        .isNotEmpty();
  }

  @Test
  void recordingOnlyQueuesAndExecutorsRecordsNoLockEvent() throws Exception {
    SpanFile narrowed = traced("queues-executors", "-Dracetrace.record=queues,executors");
    double per = perRequest(narrowed);
    System.out.printf(Locale.ROOT, "NarrowingIT: record=queues,executors: %.1f spans/request (%d spans)%n", per,
        spans(narrowed).size());
    assertThat(spans(narrowed)).as("no lock, condition, latch, monitor, future or sleep span")
        .noneMatch(s -> s.name.startsWith("guard."));
    assertThat(narrowed.where(s -> "queue.enqueue".equals(s.event()))).isNotEmpty();
    assertThat(narrowed.event("task.submit")).isNotEmpty();
    assertThat(per).as("spans per request, vs %.1f recording everything", broadPerRequest)
        .isLessThan(broadPerRequest * 0.25);
  }

  private static SpanFile traced(String name, String... extra) throws Exception {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("-Dracetrace.include=" + JETTY, "-Dracetrace.out=" + out,
        "-Dracetrace.buffer.size=65536"));
    args.addAll(List.of(extra));
    ForkedJvm.Result r = ForkedJvm.withAgent().jvmArg(args.toArray(new String[0])).classpath(classpath())
        .run(JettyProgram.class, Integer.toString(REQUESTS));
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).as("output with the agent, %s", name).isEqualTo(plain.stdout);
    assertThat(r.nonEmptyStderr()).as("start line").contains(": recording " + JETTY + " (package)");
    if (extra.length > 0 && extra[0].startsWith("-Dracetrace.exclude=")) {
      assertThat(r.nonEmptyStderr()).contains(" excluding " + AUTO_LOCK + " (class) on node ");
    }
    if (extra.length > 0 && extra[0].startsWith("-Dracetrace.record=")) {
      assertThat(r.nonEmptyStderr()).contains("; events: only queues,executors (racetrace.record)");
    }
    return SpanFile.readDir(out);
  }

  private static List<Span> spans(SpanFile f) {
    return f.where(s -> !s.name.startsWith("racetrace."));
  }

  private static double perRequest(SpanFile f) {
    return (double) spans(f).size() / REQUESTS;
  }

  private static List<Span> inAutoLock(SpanFile f) {
    return f.where(s -> s.str("code.namespace") != null && s.str("code.namespace").startsWith(AUTO_LOCK));
  }

  private static String[] classpath() throws Exception {
    List<String> cp = new ArrayList<>();
    cp.add(Paths.get(NarrowingIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    cp.addAll(ForkedJvm.testJars("jetty-"));
    cp.addAll(ForkedJvm.testJars("slf4j-api"));
    return cp.toArray(new String[0]);
  }
}
