package dev.racetrace.agent.control;

import dev.racetrace.agent.export.ExportLoop;
import dev.racetrace.agent.internal.Counters;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.management.ObjectName;

/** The JMX control of one agent. Registered by the exporter thread, never on the start-up path. */
public final class RacetraceControl implements RacetraceControlMBean {
  public static final String OBJECT_NAME = "dev.racetrace:type=Control";

  private final ExportLoop loop;
  private final Counters counters;
  private final boolean flight;
  private final String token;

  public RacetraceControl(ExportLoop loop, Counters counters, boolean flight) {
    this.loop = loop;
    this.counters = counters;
    this.flight = flight;
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    this.token = sb.toString();
  }

  /** The dump token (printed in the start line in flight mode). */
  public String token() {
    return token;
  }

  /** Registers this MBean; failures are counted, never thrown. */
  public void register() {
    try {
      ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
    } catch (Exception | LinkageError e) {
      counters.exporterErrors().incrementAndGet();
    }
  }

  @Override
  public String getMode() {
    return flight ? "flight" : "stream";
  }

  @Override
  public long getDroppedEvents() {
    return loop.dropped();
  }

  @Override
  public long getExportedSpans() {
    return counters.exportedSpans().get();
  }

  @Override
  public String dump(String given) {
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))) {
      return "refused: wrong token";
    }
    return loop.requestDump("dump requested") ? "dump requested: the retained spans are being exported"
        : "nothing to dump: racetrace.mode=stream exports everything continuously";
  }
}
