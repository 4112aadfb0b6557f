package dev.racetrace.analyzer.input;

/** Number parsing straight from the parser's character buffer, without a String. */
final class Chars {
  private Chars() {}

  /**
   * A decimal long in {@code buf[off..off+len)}.
   *
   * @throws IllegalArgumentException naming {@code what} and the text when it is not one
   */
  static long parseLong(String what, char[] buf, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && buf[i] == ' ') {
      i++;
    }
    while (end > i && buf[end - 1] == ' ') {
      end--;
    }
    boolean negative = i < end && buf[i] == '-';
    if (negative || (i < end && buf[i] == '+')) {
      i++;
    }
    if (i == end || end - i > 19) {
      return slow(what, buf, off, len);
    }
    long v = 0;
    for (; i < end; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        throw notInteger(what, buf, off, len);
      }
      v = v * 10 + d;
      if (v < 0) {
        return slow(what, buf, off, len);
      }
    }
    return negative ? -v : v;
  }

  private static long slow(String what, char[] buf, int off, int len) {
    try {
      return Long.parseLong(new String(buf, off, len).trim());
    } catch (NumberFormatException e) {
      throw notInteger(what, buf, off, len);
    }
  }

  private static IllegalArgumentException notInteger(String what, char[] buf, int off, int len) {
    String s = new String(buf, off, Math.min(len, 40)) + (len > 40 ? "..." : "");
    return new IllegalArgumentException(what + " is not an integer: \"" + s + "\"");
  }

  /** A hex span id ({@code ""} = absent, 0) in 64 bits; a longer id keeps its low 64 bits. */
  static long parseHexId(String what, char[] buf, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int start = len > 16 ? off + len - 16 : off;
    long v = 0;
    for (int i = start; i < off + len; i++) {
      char c = buf[i];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        String s = new String(buf, off, Math.min(len, 40));
        throw new IllegalArgumentException(what + " is not a hex id: \"" + s + "\"");
      }
      v = (v << 4) | d;
    }
    return v;
  }
}
