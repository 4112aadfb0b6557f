package dev.racetrace.core.buffer;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The set of live rings, read by the exporter. Registration happens once per thread (first event),
 * removal only by the exporter once a dead thread's ring is empty. Copy-on-write through CAS, so
 * neither side ever blocks.
 */
public final class RingRegistry {
  /** A ring and the thread that owns it (null for shared rings). */
  public static final class Entry {
    private final EventRing ring;
    private final WeakReference<Thread> owner;

    Entry(EventRing ring, Thread owner) {
      this.ring = ring;
      this.owner = owner == null ? null : new WeakReference<>(owner);
    }

    public EventRing ring() {
      return ring;
    }

    /** The owning thread if it is still reachable, else null (always null for shared rings). */
    public Thread owner() {
      return owner == null ? null : owner.get();
    }

    /** Whether the ring belongs to a thread that has ended. */
    public boolean ownerGone() {
      if (owner == null) {
        return false;
      }
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }
  }

  private static final Entry[] NONE = new Entry[0];
  private final AtomicReference<Entry[]> entries = new AtomicReference<>(NONE);
  private final DrainWake wake = new DrainWake();

  /** What the rings of this registry tell when they pass half full (give it to every new ring). */
  public DrainWake wake() {
    return wake;
  }

  /** Adds a ring; the owner may be null for a shared ring. */
  public void register(EventRing ring, Thread owner) {
    Entry e = new Entry(ring, owner);
    Entry[] cur;
    Entry[] next;
    do {
      cur = entries.get();
      next = new Entry[cur.length + 1];
      System.arraycopy(cur, 0, next, 0, cur.length);
      next[cur.length] = e;
    } while (!entries.compareAndSet(cur, next));
  }

  /** Removes the given entry if present. Exporter thread only. */
  public void remove(Entry e) {
    Entry[] cur;
    Entry[] next;
    do {
      cur = entries.get();
      int at = -1;
      for (int i = 0; i < cur.length; i++) {
        if (cur[i] == e) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        return;
      }
      next = new Entry[cur.length - 1];
      System.arraycopy(cur, 0, next, 0, at);
      System.arraycopy(cur, at + 1, next, at, cur.length - at - 1);
    } while (!entries.compareAndSet(cur, next));
  }

  /** Forgets every ring (racetrace stopped itself): the exporter no longer holds any. */
  public void clear() {
    entries.set(NONE);
  }

  /** A snapshot of the registered rings. */
  public Entry[] entries() {
    return entries.get();
  }

  /** Number of owned (per-thread) rings currently registered. */
  public int ownedCount() {
    int n = 0;
    for (Entry e : entries.get()) {
      if (!e.ring.isShared()) {
        n++;
      }
    }
    return n;
  }
}
