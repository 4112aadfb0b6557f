package dev.racetrace.analyzer.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a large OTLP JSON lines file into byte ranges that start at a line beginning with
 * {@code {"resourceSpans"} (or {@code {"resource"}), so several threads can parse one file. A
 * file that is not of that shape (a Jaeger export, gzip) stays whole.
 */
public final class FileSlices {
  /** Files smaller than this are not cut. */
  static final long MIN_SLICE = 32L << 20;
  private static final long SEARCH_LIMIT = 16L << 20;
  private static final byte[] WRAPPED = "\n{\"resourceSpans\"".getBytes();
  private static final byte[] BARE = "\n{\"resource\"".getBytes();

  private FileSlices() {}

  /** Up to {@code parts} ranges {@code [start, end)} covering the file, in order. */
  public static List<long[]> of(Path file, int parts) throws IOException {
    return of(file, parts, MIN_SLICE);
  }

  /** As {@link #of(Path, int)}, with slices of at least {@code minSlice} bytes. */
  static List<long[]> of(Path file, int parts, long minSlice) throws IOException {
    long size = Files.size(file);
    List<long[]> out = new ArrayList<>();
    boolean otlp = !file.getFileName().toString().endsWith(".gz") && startsWithOtlp(file);
    if (otlp) {
      size = completeLines(file, size);
    }
    if (parts <= 1 || size < 2 * minSlice || !otlp) {
      out.add(new long[] {0, size});
      return out;
    }
    int n = (int) Math.min(parts, size / minSlice);
    long start = 0;
    for (int i = 1; i < n; i++) {
      long cut = boundaryAfter(file, size * i / n, size);
      if (cut > start && cut < size) {
        out.add(new long[] {start, cut});
        start = cut;
      }
    }
    out.add(new long[] {start, size});
    return out;
  }

  /**
   * The length of the file's complete lines: a JSON lines file whose last line has no line break
   * is still being written, or its writer was killed mid-line; that fragment is left out.
   */
  public static long completeLines(Path file, long size) throws IOException {
    if (size == 0) {
      return 0;
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long pos = size;
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
      while (pos > 0) {
        int len = (int) Math.min(buf.capacity(), pos);
        pos -= len;
        buf.clear().limit(len);
        ch.position(pos);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          // fill the window
        }
        for (int k = len - 1; k >= 0; k--) {
          if (buf.get(k) == '\n') {
            return pos + k + 1;
          }
        }
      }
      return 0;
    }
  }

  /** Number of line breaks before byte {@code end}, to turn a slice's line into the file's. */
  public static long linesBefore(Path file, long end) throws IOException {
    long lines = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      long left = end;
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        for (int k = 0; k < r; k++) {
          if (buf[k] == '\n') {
            lines++;
          }
        }
        left -= r;
      }
    }
    return lines;
  }

  private static boolean startsWithOtlp(Path file) throws IOException {
    byte[] head = new byte[WRAPPED.length];
    try (InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      String s = new String(head, 0, n);
      return s.startsWith("{\"resourceSpans\"") || s.startsWith("{\"resource\"");
    }
  }

  /** The offset just after a newline followed by an OTLP line, at or after {@code from}. */
  private static long boundaryAfter(Path file, long from, long size) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      ch.position(from);
      InputStream in = Channels.newInputStream(ch);
      byte[] buf = new byte[1 << 16];
      byte[] carry = new byte[0];
      long base = from;
      while (base - from < SEARCH_LIMIT) {
        int r = in.read(buf);
        if (r < 0) {
          return size;
        }
        byte[] window = new byte[carry.length + r];
        System.arraycopy(carry, 0, window, 0, carry.length);
        System.arraycopy(buf, 0, window, carry.length, r);
        long windowStart = base - carry.length;
        for (int k = 0; k + WRAPPED.length <= window.length; k++) {
          if (window[k] == '\n' && (matches(window, k, WRAPPED) || matches(window, k, BARE))) {
            return windowStart + k + 1;
          }
        }
        int keep = Math.min(window.length, WRAPPED.length);
        carry = new byte[keep];
        System.arraycopy(window, window.length - keep, carry, 0, keep);
        base += r;
      }
      return size;
    }
  }

  private static boolean matches(byte[] window, int at, byte[] pattern) {
    if (at + pattern.length > window.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      if (window[at + i] != pattern[i]) {
        return false;
      }
    }
    return true;
  }
}
