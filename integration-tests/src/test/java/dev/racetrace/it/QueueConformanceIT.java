package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conformance suite nobody here wrote, run under the agent with every one of its call sites
 * rewritten: Guava's {@code TestsForQueuesInJavaUtil} (guava-testlib) checks the JDK's queues and
 * deques (ArrayBlockingQueue, LinkedBlockingQueue/Deque, PriorityBlockingQueue,
 * ConcurrentLinkedQueue/Deque, ArrayDeque, PriorityQueue, LinkedList, ...) against the
 * {@code Queue}/{@code Collection} contracts: return values, exceptions, nulls, capacity,
 * iteration. With {@code racetrace.include} naming the suite's package, the same tests must run
 * and pass as without the agent, and the agent must really have recorded the suite's calls.
 */
class QueueConformanceIT {
  private static final String SUITE = "com.google.common.collect.testing.TestsForQueuesInJavaUtil";
  private static final Pattern OK = Pattern.compile("(?m)^OK \\((\\d+) tests\\)$");

  @TempDir Path dir;

  @Test
  void guavasQueueSuitePassesUnchangedUnderTheAgentOnJdk17() throws Exception {
    conformance(System.getProperty("java.home"), "jdk17");
  }

  @Test
  void guavasQueueSuitePassesUnchangedUnderTheAgentOnJdk25() throws Exception {
    String home = ForkedJvm.jdk25();
    assumeTrue(home != null, "JDK 25 is not installed here (set -Dracetrace.jdk25.home)");
    conformance(home, "jdk25");
  }

  private void conformance(String javaHome, String name) throws Exception {
    ForkedJvm.Result plain = suite(ForkedJvm.plain().javaHome(javaHome));
    assertThat(plain.exitCode).as("%s", plain).isZero();
    int tests = testsPassed(plain);
    assertThat(tests).as("the suite ran").isGreaterThan(1000);

    Path out = dir.resolve(name);
    ForkedJvm.Result traced = suite(ForkedJvm.withAgent().javaHome(javaHome).jvmArg(
        "-Dracetrace.include=com.google.common.collect.testing", "-Dracetrace.out=" + out));
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(testsPassed(traced)).as("tests passed with the agent").isEqualTo(tests);
    assertThat(traced.nonEmptyStderr())
        .contains("recording com.google.common.collect.testing")
        .doesNotContain("dropped").doesNotContain("error");
    SpanFile spans = SpanFile.readDir(out);
    assertThat(spans.event("queue.enqueue")).as("the suite's offers were recorded").isNotEmpty();
    assertThat(spans.event("queue.dequeue")).as("the suite's polls were recorded").isNotEmpty();
  }

  private static ForkedJvm.Result suite(ForkedJvm jvm) throws Exception {
    List<String> cp = new ArrayList<>();
    for (String jar : new String[] {"guava-testlib", "guava-33", "failureaccess", "jspecify", "junit-4", "hamcrest"}) {
      cp.addAll(ForkedJvm.testJars(jar));
    }
    return jvm.classpath(cp.toArray(new String[0])).run(junit.textui.TestRunner.class, SUITE);
  }

  private static int testsPassed(ForkedJvm.Result r) {
    Matcher m = OK.matcher(r.stdout);
    assertThat(m.find()).as("JUnit's summary line in %s", r).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
