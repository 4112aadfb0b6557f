package dev.racetrace.it.programs;

/** A state probe ({@code racetrace.state}) whose own code always fails. */
public final class ThrowingProbe {
  private ThrowingProbe() {}

  public static int count() {
    throw new IllegalStateException("application detail that must not be printed");
  }
}
