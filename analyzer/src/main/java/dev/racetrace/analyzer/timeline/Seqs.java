package dev.racetrace.analyzer.timeline;

import dev.racetrace.analyzer.input.SpanRecord;

/** Lookups in a node's spans, which are sorted by {@code race.seq}: no index map needed. */
final class Seqs {
  private Seqs() {}

  /** Index of the first span with {@code seq}, or -1. */
  static int indexOf(SpanRecord[] spans, long seq) {
    int lo = 0;
    int hi = spans.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spans[mid].seq() < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < spans.length && spans[lo].seq() == seq ? lo : -1;
  }

  /** Index of {@code span} itself (a seq may be shared by duplicates), or -1. */
  static int indexOf(SpanRecord[] spans, SpanRecord span) {
    int i = indexOf(spans, span.seq());
    if (i < 0) {
      return -1;
    }
    for (int k = i; k < spans.length && spans[k].seq() == span.seq(); k++) {
      if (spans[k] == span) {
        return k;
      }
    }
    return i;
  }
}
