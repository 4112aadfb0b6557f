package dev.racetrace.agent.export.journal;

import java.nio.ByteBuffer;

/** A journal output that keeps nothing but the count of bytes written, for cost measurements. */
final class CountingOutput implements JournalWriter.Output {
  long bytes;

  @Override
  public void write(ByteBuffer chunk) {
    bytes += chunk.remaining();
  }

  @Override
  public void close() {}
}
