package dev.racetrace.analyzer.input;

/**
 * Keeps one copy of each repeated string (node, thread, key, op, span name, attribute name), so
 * a million spans share a few thousand strings. Looks text up straight from the parser's
 * character buffer, so a repeated string costs no allocation. Not thread-safe: one per reader.
 */
public final class Interner {
  private String[] table = new String[1 << 12];
  private int size;
  private final String[][] nameSets = new String[1 << 10][];
  private int nameSetCount;

  /** The shared copy of {@code s}; null stays null. */
  public String intern(String s) {
    if (s == null) {
      return null;
    }
    int h = s.hashCode();
    int mask = table.length - 1;
    int i = mix(h) & mask;
    String t;
    while ((t = table[i]) != null) {
      if (t == s || (t.hashCode() == h && t.equals(s))) {
        return t;
      }
      i = (i + 1) & mask;
    }
    insert(i, s);
    return s;
  }

  /** The shared copy of the text {@code buf[off..off+len)}. */
  public String intern(char[] buf, int off, int len) {
    int h = 0;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[off + k];
    }
    int mask = table.length - 1;
    int i = mix(h) & mask;
    String t;
    while ((t = table[i]) != null) {
      if (t.hashCode() == h && sameChars(t, buf, off, len)) {
        return t;
      }
      i = (i + 1) & mask;
    }
    String s = new String(buf, off, len);
    insert(i, s);
    return s;
  }

  /**
   * The shared copy of the first {@code n} (interned) strings of {@code names}: spans that record
   * the same state probes share one array of their names.
   */
  public String[] internNames(String[] names, int n) {
    int h = n;
    for (int k = 0; k < n; k++) {
      h = 31 * h + System.identityHashCode(names[k]);
    }
    int mask = nameSets.length - 1;
    int i = mix(h) & mask;
    String[] t;
    while ((t = nameSets[i]) != null) {
      if (sameNames(t, names, n)) {
        return t;
      }
      i = (i + 1) & mask;
    }
    String[] copy = java.util.Arrays.copyOf(names, n);
    if (nameSetCount * 2 >= nameSets.length) {
      return copy; // a pathological number of distinct sets: stop sharing
    }
    nameSets[i] = copy;
    nameSetCount++;
    return copy;
  }

  private static boolean sameNames(String[] t, String[] names, int n) {
    if (t.length != n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (t[k] != names[k]) {
        return false;
      }
    }
    return true;
  }

  /** Number of distinct strings kept. */
  public int size() {
    return size;
  }

  private static boolean sameChars(String t, char[] buf, int off, int len) {
    if (t.length() != len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (t.charAt(k) != buf[off + k]) {
        return false;
      }
    }
    return true;
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }

  private void insert(int slot, String s) {
    table[slot] = s;
    if (++size * 2 > table.length) {
      String[] old = table;
      table = new String[old.length * 2];
      int mask = table.length - 1;
      for (String o : old) {
        if (o != null) {
          int i = mix(o.hashCode()) & mask;
          while (table[i] != null) {
            i = (i + 1) & mask;
          }
          table[i] = o;
        }
      }
    }
  }
}
