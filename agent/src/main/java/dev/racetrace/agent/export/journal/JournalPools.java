package dev.racetrace.agent.export.journal;

import static dev.racetrace.agent.export.journal.JournalFormat.MAX_STRING_CHARS;
import static dev.racetrace.agent.export.journal.JournalFormat.PROBE;
import static dev.racetrace.agent.export.journal.JournalFormat.SITE;
import static dev.racetrace.agent.export.journal.JournalFormat.STRING;
import static dev.racetrace.agent.export.journal.JournalFormat.THREAD;

import dev.racetrace.core.StateProbes;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.core.site.CallSites;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The constant pools of one journal chunk (see {@link JournalFormat}): strings, call sites, state
 * probes and thread names, each entry written into the chunk the first time one of its records
 * refers to it, so that a chunk reads on its own. Cleared per chunk; the defined-marks of sites and
 * probes are generation numbers, so clearing them costs nothing. Exporter thread only.
 */
final class JournalPools {
  private final Map<String, Integer> strings = new HashMap<>();
  private final Map<Long, Integer> threadNames = new HashMap<>();
  private int[] sitesDefined = new int[256];
  private int[] probesDefined = new int[16];
  /** Chunk generation, so the defined-marks above need no clearing between chunks. */
  private int generation = 1;
  private long lastThreadId = Long.MIN_VALUE;
  private int lastThreadName = -1;
  /** Pool entries written into the current chunk. */
  private int entries;

  /** A new chunk: every entry is written again when first referred to. */
  void newChunk() {
    strings.clear();
    threadNames.clear();
    lastThreadId = Long.MIN_VALUE;
    generation++;
    entries = 0;
  }

  /** Pool entries written into the current chunk. */
  int entries() {
    return entries;
  }

  /** Thread {@code threadId} ended: a thread of the same id later is named afresh. */
  void threadEnded(long threadId) {
    threadNames.remove(threadId);
    if (threadId == lastThreadId) {
      lastThreadId = Long.MIN_VALUE;
    }
  }

  /** Defines call site {@code site} in this chunk unless it already is. */
  void defineSite(ByteBuffer buf, int site) {
    if (site <= 0) {
      return;
    }
    if (site >= sitesDefined.length) {
      sitesDefined = java.util.Arrays.copyOf(sitesDefined, Math.max(site + 1, sitesDefined.length * 2));
    }
    if (sitesDefined[site] == generation) {
      return;
    }
    CallSite s = CallSites.get(site);
    int cls = string(buf, s.className());
    int method = string(buf, s.methodName());
    int target = string(buf, s.target());
    int receiver = s.receiverName() == null ? -1 : string(buf, s.receiverName());
    buf.put(SITE).putInt(site).putInt(cls).putInt(method).putInt(s.line()).putInt(target).putInt(receiver);
    entries++;
    sitesDefined[site] = generation;
  }

  /** Defines state probe {@code probe} in this chunk unless it already is. */
  void defineProbe(ByteBuffer buf, int probe) {
    if (probe < 0) {
      return;
    }
    if (probe >= probesDefined.length) {
      probesDefined = java.util.Arrays.copyOf(probesDefined, Math.max(probe + 1, probesDefined.length * 2));
    }
    if (probesDefined[probe] == generation) {
      return;
    }
    String name = StateProbes.nameOf(probe);
    int ref = name == null ? -1 : string(buf, name); // its pool entry first: records never nest
    buf.put(PROBE).putInt(probe).putInt(ref);
    entries++;
    probesDefined[probe] = generation;
  }

  /** Names thread {@code threadId} in this chunk, again only when its name changed. */
  void defineThread(ByteBuffer buf, long threadId, String name) {
    int ref = string(buf, name);
    if (threadId == lastThreadId && ref == lastThreadName) {
      return;
    }
    Integer known = threadNames.get(threadId);
    if (known == null || known != ref) {
      buf.put(THREAD).putLong(threadId).putInt(ref);
      entries++;
      threadNames.put(threadId, ref);
    }
    lastThreadId = threadId;
    lastThreadName = ref;
  }

  /** The pool id of {@code s} in this chunk, writing its entry the first time. */
  int string(ByteBuffer buf, String s) {
    Integer id = strings.get(s);
    if (id != null) {
      return id;
    }
    int next = strings.size();
    strings.put(s, next);
    buf.put(STRING).putInt(next);
    int lengthAt = buf.position();
    buf.putShort((short) 0);
    int n = putUtf8(buf, s, MAX_STRING_CHARS);
    buf.putShort(lengthAt, (short) n);
    entries++;
    return next;
  }

  /** UTF-8 of at most {@code maxChars} chars of {@code s}; unpaired surrogates become '?'. */
  static int putUtf8(ByteBuffer b, String s, int maxChars) {
    int start = b.position();
    int len = Math.min(s.length(), maxChars);
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b.put((byte) c);
      } else if (c < 0x800) {
        b.put((byte) (0xC0 | (c >> 6))).put((byte) (0x80 | (c & 0x3F)));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b.put((byte) (0xF0 | (cp >> 18))).put((byte) (0x80 | ((cp >> 12) & 0x3F)))
            .put((byte) (0x80 | ((cp >> 6) & 0x3F))).put((byte) (0x80 | (cp & 0x3F)));
      } else if (Character.isSurrogate(c)) {
        b.put((byte) '?');
      } else {
        b.put((byte) (0xE0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3F))).put((byte) (0x80 | (c & 0x3F)));
      }
    }
    return b.position() - start;
  }
}
