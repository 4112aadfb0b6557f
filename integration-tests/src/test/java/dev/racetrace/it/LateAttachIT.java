package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.racetrace.it.programs.LateAttachProgram;
import dev.racetrace.it.programs.PipelineProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaching to a running JVM (agentmain): classes already loaded are retransformed, so their
 * call sites are recorded from then on.
 */
class LateAttachIT {
  @TempDir Path dir;

  @Test
  void attachingToARunningJvmInstrumentsItsLoadedClasses() throws Exception {
    Path out = dir.resolve("spans");
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dracetrace.include=dev.racetrace.it.programs", "-Dracetrace.out=" + out,
        "-cp", ForkedJvm.CLASSES, LateAttachProgram.class.getName());
    pb.redirectError(dir.resolve("stderr.txt").toFile());
    Process p = pb.start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertThat(stdout.readLine()).isEqualTo("ready");
      // PipelineProgram is loaded before the agent arrives: it must be retransformed
      VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
      try {
        vm.loadAgent(ForkedJvm.AGENT.toString());
      } finally {
        vm.detach();
      }
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write('\n');
      }
      StringBuilder printed = new StringBuilder();
      for (String line; (line = stdout.readLine()) != null; ) {
        printed.append(line).append('\n');
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(printed.toString()).contains("linked: sum=40200");
    } finally {
      p.destroyForcibly();
    }
    List<SpanFile.Span> enqueues = SpanFile.readDir(out).event("queue.enqueue");
    assertThat(enqueues).hasSize(2 * 201);
    assertThat(enqueues).allSatisfy(s -> assertThat(s.str("code.namespace")).isEqualTo(PipelineProgram.class.getName()));
  }
}
