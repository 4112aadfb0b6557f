package dev.racetrace.agent.export.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable UTF-8 buffer with the few JSON writes the OTLP encoder needs. Strings are escaped as
 * Jackson escapes them (the OTel SDK's JSON output goes through Jackson): quote and backslash, the
 * short forms {@code \b \t \n \f \r}, other control characters as a backslash, {@code u} and four
 * hex digits; everything else is written as UTF-8, except surrogates (characters beyond the BMP, and
 * unpaired ones), which get such a hex escape each: valid JSON whatever a thread name or key holds,
 * and never an exception in the exporter.
 */
public final class JsonBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  public JsonBytes(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  void reset() {
    len = 0;
  }

  int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
  }

  /** Shrinks an exceptionally grown buffer back, so one huge batch does not pin its memory. */
  void trimTo(int capacity) {
    if (buf.length > capacity) {
      buf = new byte[capacity];
      len = 0;
    }
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  JsonBytes raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  JsonBytes raw(char ascii) {
    ensure(1);
    buf[len++] = (byte) ascii;
    return this;
  }

  /** Writes {@code value} as a quoted, escaped JSON string. */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy for ASCII
  JsonBytes string(String value) {
    int n = value.length();
    ensure(6 * n + 2); // the longest a char can become (an escape): no checks in the loops
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    if (plainAscii(value, n)) {
      value.getBytes(0, n, b, p); // most strings here: ids, class and thread names
      p += n;
    } else {
      p = escaped(value, n, b, p);
    }
    b[p++] = '"';
    len = p;
    return this;
  }

  /** Writes a string known to be plain ASCII (hex ids), quoted. */
  @SuppressWarnings("deprecation")
  JsonBytes asciiString(String value) {
    int n = value.length();
    ensure(n + 2);
    buf[len++] = '"';
    value.getBytes(0, n, buf, len);
    len += n;
    buf[len++] = '"';
    return this;
  }

  private static boolean plainAscii(String value, int n) {
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static int escaped(String value, int n, byte[] b, int p) {
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        b[p++] = (byte) c;
      } else if (c < 0x80) {
        p = escape(c, b, p);
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        p = hexEscape(c, b, p); // as Jackson writes them: each half of a pair, or a lone one
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  private static int escape(char c, byte[] b, int p) {
    switch (c) {
      case '"': return shortEscape('"', b, p);
      case '\\': return shortEscape('\\', b, p);
      case '\b': return shortEscape('b', b, p);
      case '\t': return shortEscape('t', b, p);
      case '\n': return shortEscape('n', b, p);
      case '\f': return shortEscape('f', b, p);
      case '\r': return shortEscape('r', b, p);
      default: return hexEscape(c, b, p);
    }
  }

  private static int shortEscape(char letter, byte[] b, int p) {
    b[p++] = '\\';
    b[p++] = (byte) letter;
    return p;
  }

  private static int hexEscape(char c, byte[] b, int p) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[c >> 12];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  /** Writes a decimal number, unquoted. */
  JsonBytes number(long value) {
    if (value == Long.MIN_VALUE) {
      return raw(MIN_LONG);
    }
    ensure(20);
    if (value < 0) {
      buf[len++] = '-';
      value = -value;
    }
    // in int-sized chunks of nine digits: int division is much cheaper than long division, and
    // nanosecond timestamps have 19 digits
    if (value < BILLION) {
      digits((int) value, 0);
    } else if (value < BILLION * BILLION) {
      digits((int) (value / BILLION), 0);
      digits((int) (value % BILLION), 9);
    } else {
      long high = value / BILLION;
      digits((int) (high / BILLION), 0);
      digits((int) (high % BILLION), 9);
      digits((int) (value % BILLION), 9);
    }
    return this;
  }

  private static final long BILLION = 1_000_000_000L;

  /** Writes {@code value} (0..999,999,999) with at least {@code width} digits, zero-padded. */
  private void digits(int value, int width) {
    int count = 1;
    for (int v = value; v >= 10; v /= 10) {
      count++;
    }
    count = Math.max(count, width);
    byte[] b = buf;
    int p = len + count;
    int start = len;
    len = p;
    while (value >= 100) {
      int q = value / 100;
      int r = value - q * 100;
      b[--p] = (byte) ('0' + r % 10);
      b[--p] = (byte) ('0' + r / 10);
      value = q;
    }
    if (value >= 10) {
      b[--p] = (byte) ('0' + value % 10);
      value /= 10;
    }
    b[--p] = (byte) ('0' + value);
    while (p > start) {
      b[--p] = '0';
    }
  }

  /** Writes a decimal number in quotes, as proto3 JSON writes 64-bit integers. */
  JsonBytes quotedNumber(long value) {
    raw('"');
    number(value);
    return raw('"');
  }

  /** Writes a double as Jackson does: {@code Double.toString}, non-finite values quoted. */
  JsonBytes number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return string(Double.toString(value));
    }
    String s = Double.toString(value);
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  JsonBytes bool(boolean value) {
    return raw(value ? TRUE : FALSE);
  }

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
}
