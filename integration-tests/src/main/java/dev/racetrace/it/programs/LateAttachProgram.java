package dev.racetrace.it.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Waits for a line on stdin (the test attaches the agent meanwhile), then runs the pipeline. */
public final class LateAttachProgram {
  public static void main(String[] args) throws Exception {
    System.out.println("ready");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    PipelineProgram.main(new String[0]);
  }

  private LateAttachProgram() {}
}
