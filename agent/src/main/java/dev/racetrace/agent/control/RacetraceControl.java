package dev.racetrace.agent.control;

import dev.racetrace.agent.export.ExportLoop;
import dev.racetrace.agent.internal.RandomBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The control of the racetrace running in this JVM: a random token printed at start, and what the
 * {@code dump} and {@code detach} commands do once the token matched. Reached only through
 * {@link ControlRequests} (the attach mechanism, same OS user): racetrace listens on no port.
 */
public final class RacetraceControl {
  /**
   * The system property that marks a JVM where racetrace runs, read by {@code list} and by the
   * commands before they load anything: {@code <version> <mode>}. The only trace of racetrace the
   * application can see.
   */
  public static final String MARKER = "dev.racetrace.agent";

  /** The racetrace started in this JVM, or null. */
  private static volatile RacetraceControl current;

  private final ExportLoop loop;
  private final String mode;
  private final String token;
  private final Runnable detach;

  /**
   * @param detach restores the original classes and stops recording and export
   */
  public RacetraceControl(ExportLoop loop, String mode, Runnable detach) {
    this.loop = loop;
    this.mode = mode;
    this.detach = detach;
    this.token = RandomBytes.hex(16); // 128 bits
  }

  /** Makes this the JVM's racetrace, reachable by the commands. */
  public void publish(String version) {
    current = this;
    System.setProperty(MARKER, version + " " + mode);
  }

  /** The racetrace running in this JVM, or null. */
  static RacetraceControl current() {
    return current;
  }

  /** The control token (printed in the start line). */
  public String token() {
    return token;
  }

  /** Constant-time comparison: the time taken says nothing about how much of a guess matched. */
  boolean tokenMatches(String given) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  /** Flight mode: write the flight recording now. The token has been checked. */
  String dump() {
    return loop.requestDump("dump requested") ? "dump requested: the flight recording is being written"
        : "not in flight mode: racetrace.mode=" + mode + " exports everything continuously";
  }

  /** Restores the original classes and stops recording. The token has been checked. */
  String detach() {
    detach.run();
    current = null;
    System.clearProperty(MARKER);
    return "detached: original classes restored, recording stopped";
  }
}
