package dev.racetrace.agent.export.flight;

import dev.racetrace.agent.export.journal.JournalChunkRing;
import dev.racetrace.agent.export.journal.JournalExport;
import dev.racetrace.agent.export.journal.JournalFormat;
import dev.racetrace.agent.export.journal.JournalHeader;
import dev.racetrace.agent.export.journal.JournalWriter;
import dev.racetrace.agent.export.sink.OutputFiles;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Flight mode on the journal: the exporter thread writes the journal as usual, but into a
 * {@link JournalChunkRing} in memory; a trigger or a dump request writes the ring's chunks as a
 * journal file of its own, {@code <name>-flight-<n>.rtj} next to where the journal would be
 * (created as every racetrace file is, {@link OutputFiles}), which {@code analyze} and
 * {@code export} read like any journal. The dump starts with a chunk without records whose header
 * says why it was written ({@link JournalHeader#FLIGHT_REASON}) and what the ring dropped before
 * it. The ring is emptied by a dump, so no event is in two dumps. Dumps together stay within
 * racetrace.out.max: one that would pass it is not written, and its events are counted. With OTel
 * exporters configured, each dump is also sent to them once written ({@link FlightDumpSender}).
 * Exporter thread only.
 */
public final class FlightJournal implements FlightRecorder.Dumps {
  private final JournalChunkRing ring;
  private final Path journal;
  private final Map<String, String> header;
  private final Counters counters;
  private final long outMaxBytes;
  private final String outMaxConfigured;
  private JournalWriter writer;
  private int dumps;
  private long dumpedBytes;
  private long dumpedEvents;
  private Path lastDump;
  /** Sends each dump's spans to the OTel exporters configured beside flight mode; null: none are. */
  private FlightDumpSender sender;

  /**
   * @param journal the journal's path (racetrace.out/<name>.rtj): dumps are named after it
   * @param header the journal's header entries, repeated in each dump's first chunk
   * @param outMaxBytes racetrace.out.max: all dumps together ({@code configured} as written)
   */
  public FlightJournal(JournalChunkRing ring, Path journal, Map<String, String> header, Counters counters,
      long outMaxBytes, String outMaxConfigured) {
    this.ring = ring;
    this.journal = journal;
    this.header = new LinkedHashMap<>(header);
    this.counters = counters;
    this.outMaxBytes = outMaxBytes;
    this.outMaxConfigured = outMaxConfigured;
  }

  /** Each dump, once written, is also sent through {@code sender} (an OTLP endpoint is configured). */
  public void sendDumpsThrough(FlightDumpSender sender) {
    this.sender = sender;
  }

  /** The writer that fills the ring: a dump first closes its open chunk into the ring. */
  public void writer(JournalWriter writer) {
    this.writer = writer;
  }

  @Override
  public boolean holdsAnything() {
    flushWriter();
    return ring.chunks() > 0;
  }

  /** The chunk being filled goes to the ring (not after the writer closed: it wrote its last one). */
  private void flushWriter() {
    if (writer != null && !ring.closed()) {
      writer.flushIfOlder(System.nanoTime(), 0);
    }
  }

  @Override
  public void dump(String reason, long suppressedTimeouts) {
    flushWriter();
    if (ring.chunks() == 0) {
      Log.get().info("racetrace: flight dump (" + reason + "): nothing recorded since the last dump");
      return;
    }
    long events = ring.events();
    long bytes = ring.bytes();
    Map<String, String> h = new LinkedHashMap<>(header);
    h.put(JournalHeader.FLIGHT_REASON, reason);
    h.put(JournalHeader.FLIGHT_DUMP, Integer.toString(dumps + 1));
    h.put(JournalHeader.FLIGHT_EVENTS, Long.toString(events));
    h.put(JournalHeader.FLIGHT_DROPPED_EVENTS, Long.toString(ring.droppedEvents()));
    h.put(JournalHeader.FLIGHT_SUPPRESSED, Long.toString(suppressedTimeouts));
    ByteBuffer marker = markerChunk(h, dev.racetrace.core.Clock.now(), System.nanoTime());
    if (dumpedBytes + bytes + marker.remaining() > outMaxBytes) {
      counters.outDroppedEvents().addAndGet(events);
      ring.clear();
      Log.get().warn("out:flight", "flight dump (" + reason + ") of " + events + " events not written: the "
          + "dumps would pass racetrace.out.max=" + outMaxConfigured);
      return;
    }
    dumps++;
    Path file = journal.resolveSibling(dumpName(journal, dumps));
    try {
      OutputFiles.Opened o = OutputFiles.create(file);
      try (FileChannel ch = o.channel) {
        while (marker.hasRemaining()) {
          ch.write(marker);
        }
        dumpedBytes += marker.capacity() + ring.dumpTo(ch);
      }
      dumpedEvents += events;
      lastDump = o.path;
      Log.get().info("racetrace: flight dump (" + reason + "): " + events + " events -> " + o.path + " ("
          + JournalExport.exportHint(o.path.getParent()) + ")");
      if (sender != null) {
        sender.send(o.path);
      }
    } catch (IOException | RuntimeException e) {
      ring.clear();
      counters.exportFailures().incrementAndGet();
      counters.outDroppedEvents().addAndGet(events);
      Log.get().warn("out:flight", "flight dump (" + reason + ") to " + file + " failed; its " + events
          + " events are lost", e);
    }
  }

  /** {@code orders-n1-42.rtj}, dump 3 -> {@code orders-n1-42-flight-3.rtj}. */
  public static String dumpName(Path journal, int dump) {
    String name = journal.getFileName().toString();
    String base = name.endsWith(JournalFormat.EXTENSION)
        ? name.substring(0, name.length() - JournalFormat.EXTENSION.length()) : name;
    return base + "-flight-" + dump + JournalFormat.EXTENSION;
  }

  /** A complete chunk with {@code header} and no records (see {@link JournalFormat}). */
  static ByteBuffer markerChunk(Map<String, String> header, long epochNanos, long nanoTime) {
    byte[] entries = JournalWriter.encodeEntries(header);
    int headerLength = 16 + entries.length;
    ByteBuffer b = ByteBuffer.allocate(JournalFormat.CHUNK_PREFIX + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(JournalFormat.MAGIC).putShort((short) JournalFormat.VERSION).putShort((short) 0)
        .putInt(headerLength).putInt(0).putInt(0).putInt(0);
    b.putLong(epochNanos).putLong(nanoTime).put(entries);
    CRC32 crc = new CRC32();
    crc.update(b.array(), JournalFormat.CHUNK_PREFIX, headerLength);
    b.putInt(20, (int) crc.getValue());
    b.flip();
    return b;
  }

  int dumps() {
    return dumps;
  }

  long dumpedEvents() {
    return dumpedEvents;
  }

  /** The last dump written, or null. */
  Path lastDump() {
    return lastDump;
  }

  JournalChunkRing ring() {
    return ring;
  }
}
