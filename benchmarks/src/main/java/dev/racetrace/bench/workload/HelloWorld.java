package dev.racetrace.bench.workload;

/** The start-up benchmark's program: prints one line and exits. */
public final class HelloWorld {
  private HelloWorld() {}

  public static void main(String[] args) {
    System.out.println("hello, world");
  }
}
