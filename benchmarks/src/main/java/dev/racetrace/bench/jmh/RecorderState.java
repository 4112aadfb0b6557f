package dev.racetrace.bench.jmh;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.site.CallSites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Starts racetrace's recorder for one JMH trial (each trial is a fresh fork, so the static recorder
 * starts exactly once), the way the agent does, and registers one call site for the hooks.
 *
 * <ul>
 *   <li>{@code drained}: a {@link Drainer} thread empties the rings: the steady state.</li>
 *   <li>{@code full}: nobody drains; after the first {@code ringCapacity} events of a thread
 *       every event takes the drop path (refused and counted).</li>
 * </ul>
 *
 * <p>At the end of the trial one line {@code <benchmark> mode=<m> drained=<n> dropped=<n>} is
 * appended to the file named by {@code -Dbench.stats=...}, if set.
 */
@State(Scope.Benchmark)
public class RecorderState {
  @Param({"drained"})
  public String mode;

  @Param({"262144"})
  public int ringCapacity;

  /** The call-site id passed to every hook. */
  public int site;

  private Drainer drainer;

  @Setup(Level.Trial)
  public void start() {
    if (!mode.equals("drained") && !mode.equals("full")) {
      throw new IllegalArgumentException("mode must be drained or full: " + mode);
    }
    Recorder.start(new Recorder.Settings(ringCapacity, 512, 4));
    site = CallSites.register("dev.racetrace.bench.jmh.Bench", "op", 42, "Queue.offer", "Bench.q");
    if (mode.equals("drained")) {
      drainer = Drainer.start();
    }
  }

  @TearDown(Level.Trial)
  public void stop(BenchmarkParams params) throws InterruptedException, IOException {
    Recorder.stop();
    long drained = drainer != null ? drainer.stop() : 0;
    long dropped = Drainer.dropped();
    String line = params.getBenchmark() + " threads=" + params.getThreads() + " mode=" + mode
        + " drained=" + drained + " dropped=" + dropped;
    System.out.println("racetrace-bench: " + line);
    String file = System.getProperty("bench.stats");
    if (file != null) {
      Files.write(Path.of(file), (line + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
