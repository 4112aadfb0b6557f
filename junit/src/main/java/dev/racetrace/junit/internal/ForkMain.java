package dev.racetrace.junit.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Main class of the forked JVM (started with the agent): runs the one test, or test template,
 * selected by unique id through the JUnit Platform, writes what happened to the result file, and
 * exits, which makes the agent flush its spans.
 *
 * <p>Arguments: {@code <unique id> <result file>}.
 */
public final class ForkMain {
  private ForkMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("racetrace-junit fork: usage: ForkMain <unique id> <result file>");
      System.exit(2);
    }
    Path resultFile = Paths.get(args[1]);
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectUniqueId(args[0]))
        .filters(EngineFilter.includeEngines("junit-jupiter"))
        .build();
    Collector collector = new Collector();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, collector);
    new ForkResult(collector.runs).write(resultFile);
    System.out.flush();
    System.exit(0);
  }

  /** Collects every test's outcome and report entries, and every failed container. */
  static final class Collector implements TestExecutionListener {
    final List<TestRun> runs = new ArrayList<>();
    private final Map<String, Map<String, String>> entries = new HashMap<>();

    @Override
    public synchronized void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
      entries.computeIfAbsent(id.getUniqueId(), k -> new LinkedHashMap<>()).putAll(entry.getKeyValuePairs());
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
      runs.add(new TestRun(id.getUniqueId(), id.getDisplayName(), id.isTest(), TestRun.Status.SKIPPED,
          reason, null, entriesOf(id)));
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
      TestRun.Status status;
      switch (result.getStatus()) {
        case SUCCESSFUL:
          status = TestRun.Status.SUCCESSFUL;
          break;
        case ABORTED:
          status = TestRun.Status.ABORTED;
          break;
        default:
          status = TestRun.Status.FAILED;
      }
      if (!id.isTest() && status == TestRun.Status.SUCCESSFUL) {
        return;
      }
      runs.add(new TestRun(id.getUniqueId(), id.getDisplayName(), id.isTest(), status, null,
          result.getThrowable().orElse(null), entriesOf(id)));
    }

    private Map<String, String> entriesOf(TestIdentifier id) {
      Map<String, String> e = entries.remove(id.getUniqueId());
      return e == null ? Map.of() : e;
    }
  }
}
