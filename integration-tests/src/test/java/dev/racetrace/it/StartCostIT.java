package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.it.programs.QueueOnlyProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent's start costs an application that uses none of the JDK classes racetrace rewrites
 * for task runs (ThreadPoolExecutor, FutureTask, ForkJoinTask, ...): it loads none of them and
 * retransforms no class. A retransformation at start is a JVM-wide operation plus a class-file
 * rewrite on the main thread before the application runs; the run points are rewritten as they
 * load instead, if the application ever loads them. Nor does the journal (the default) start the
 * bundled SDK's Resource or JUL: no span is built in the process. What the JDK loads for the program
 * without the agent is not counted against it.
 */
class StartCostIT {
  @TempDir Path dir;

  /** The JDK's run points racetrace rewrites as they load, and JUL, which only the SDK would start. */
  private static final List<String> NOT_OURS_TO_LOAD = List.of("java.util.concurrent.ForkJoinTask",
      "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.FutureTask", "java.util.logging.LogManager");

  @Test
  void theStartLoadsNoRunPointClassRetransformsNothingAndLeavesTheSdkResourceUnused() throws Exception {
    // what the JDK loads for the program on its own (JDK 25 loads ForkJoinTask at every start)
    Path plainLog = dir.resolve("class-load-plain.log");
    ForkedJvm.Result plain = ForkedJvm.plain().jvmArg("-Xlog:class+load=info:file=" + plainLog)
        .run(QueueOnlyProgram.class);
    assertThat(plain.exitCode).as(plain.toString()).isZero();
    Set<String> loadedAnyway = loaded(Files.readAllLines(plainLog));

    Path log = dir.resolve("class-load.log");
    ForkedJvm.Result r = ForkedJvm.withAgent()
        .jvmArg("-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + dir.resolve("out"),
            "-Xlog:class+load=info,class+init=info:file=" + log)
        .run(QueueOnlyProgram.class);
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).contains("sum=500500");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).as("the program ran with the agent and its classes loaded")
        .anyMatch(l -> l.contains(" dev.racetrace.it.programs.QueueOnlyProgram "))
        .anyMatch(l -> l.contains(" dev.racetrace.core.Recorder "));
    assertThat(lines.stream().filter(l -> l.contains("__VM_RedefineClasses__")).collect(Collectors.toList()))
        .as("classes retransformed while the agent started").isEmpty();
    assertThat(loaded(lines)).as("run-point classes the program never uses, and JUL, which the journal alone "
        + "does not use (beyond what the JDK loads without the agent: %s)", loadedAnyway).isSubsetOf(loadedAnyway);
    String sdkResources = "Initializing 'dev/racetrace/shaded/io/opentelemetry/sdk/resources/";
    assertThat(lines.stream().filter(l -> l.contains(sdkResources)).collect(Collectors.toList()))
        .as("the SDK's Resource, which the journal alone does not use").isEmpty();
  }

  private static Set<String> loaded(List<String> classLoadLog) {
    Set<String> loaded = new TreeSet<>();
    for (String c : NOT_OURS_TO_LOAD) {
      if (classLoadLog.stream().anyMatch(l -> l.contains(" " + c + " "))) {
        loaded.add(c);
      }
    }
    return loaded;
  }
}
