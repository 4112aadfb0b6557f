package dev.racetrace.it.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Runs the pipeline, prints "done", then stays alive until a line arrives on stdin. */
public final class WaitingProgram {
  public static void main(String[] args) throws Exception {
    PipelineProgram.main(new String[0]);
    System.out.println("done");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }

  private WaitingProgram() {}
}
