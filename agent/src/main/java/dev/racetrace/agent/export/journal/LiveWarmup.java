package dev.racetrace.agent.export.journal;

import dev.racetrace.agent.export.assemble.Naming;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.assemble.SpanAssembler;
import dev.racetrace.agent.export.assemble.Symbols;
import dev.racetrace.agent.export.drain.Event;
import dev.racetrace.agent.export.drain.InOrderRelease;
import dev.racetrace.agent.export.drain.RingDrainer;
import dev.racetrace.agent.export.drain.ThreadDirectory;
import dev.racetrace.core.EventKind;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.buffer.EventRing;
import dev.racetrace.core.buffer.RingRegistry;
import dev.racetrace.core.site.CallSite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs live export's path (the rings drained through a {@link LiveJournal}: journal copy, decode,
 * hold; released in seq order; assembled into spans) over synthetic records once at start, with
 * everything of its own: ring, registry, drainer (which takes none of the process's thread-name
 * notices), thread names, journal writer (chunks go nowhere) and span assembler (its counters and
 * ids not the recording's; its spans go nowhere).
 *
 * <p>Why: {@link JournalWarmup} compiles the journal's copy, but live export's first passes that
 * met an application's events still ran cold: at 200k events/s the first busy pass took 39 ms to
 * decode and hold 4,237 records and 42 ms to assemble 250 events (classes loading, code
 * interpreted), the next one 33 ms for 11,264 records, while the default rings (4,096 records) fill
 * in 20-40 ms at that rate: the events lost at start were lost in those passes. The warm-up itself
 * took 57-265 ms inline on a 2-core machine (100 to 600 hand-offs), so it runs on a thread of its
 * own and live assembly waits for it, while the exporter thread keeps journaling every record
 * ({@code LiveJournalCycle}).
 */
public final class LiveWarmup {
  /**
   * Synthetic hand-offs (an enqueue, its dequeue, a task submitted, started and ended: 5 records
   * each): past the interpreter's compile threshold (C1 at 200 invocations) for the methods run once
   * per event.
   */
  static final int HAND_OFFS = 400;
  private static final int RING = 1_024;
  /** Every site is the empty one: the application's call sites are not read. */
  public static final Symbols NO_SYMBOLS = new Symbols() {
    private final CallSite empty = CallSite.of(0, "", "", -1, "", null);

    @Override
    public CallSite site(int id) {
      return empty;
    }

    @Override
    public String probeName(int index) {
      return null;
    }
  };

  private LiveWarmup() {}

  /**
   * @param assembler a span assembler of the warm-up's own (see the class comment)
   * @return the events assembled
   */
  public static long run(SpanAssembler assembler) {
    RingRegistry registry = new RingRegistry();
    EventRing ring = new EventRing(RING, false, -1, null);
    registry.register(ring, Thread.currentThread());
    RingDrainer drainer = RingDrainer.ofOwnRings(registry, new ThreadDirectory());
    JournalWriter journal = new JournalWriter(new JournalWarmup.Discard(), new Naming(OpNames.none(), NO_SYMBOLS),
        Collections.singletonMap("warmup", "true"), 1 << 16);
    InOrderRelease order = new InOrderRelease(2 * RING);
    LiveJournal live = new LiveJournal(journal, drainer, null, order, RING, 0);
    long seq = 1;
    long time = System.nanoTime();
    long assembled = 0;
    Object[] tasks = {Runnable.class, Object.class};
    for (int done = 0; done < HAND_OFFS; ) {
      for (int i = 0; i < RING / 5 && done < HAND_OFFS; i++, done++) {
        Object element = new Object(); // an element's identity is what an enqueue and its dequeue share
        Object task = tasks[done & 1];
        long submit = seq + 2;
        ring.write(seq, time + seq, meta(EventKind.QUEUE_ENQUEUE, 0), 1, 0x100, 1, 0, -1, null, element);
        seq++;
        ring.write(seq, time + seq, meta(EventKind.QUEUE_DEQUEUE, 0), 2, 0x100, 0, 100, -1, null, element);
        seq++;
        ring.write(seq, time + seq, meta(EventKind.TASK_SUBMIT, 1), 2, ids(0x200, done), 0, 0, 0, null, task);
        seq++;
        ring.write(seq, time + seq, meta(EventKind.TASK_START, 0), 3, ids(0x200, done), submit, 500, 0, null, task);
        seq++;
        ring.write(seq, time + seq, meta(EventKind.TASK_END, 0), 3, ids(0x200, done), submit, 0, 0, null, task);
        seq++;
      }
      live.pass(Integer.MAX_VALUE);
      List<Long> endedNow = new ArrayList<>();
      List<Event> events = order.release(new ArrayList<>(), Long.MAX_VALUE, new ArrayList<>(), endedNow);
      for (Event e : events) {
        assembler.accept(e);
      }
      live.released(events);
      assembled += events.size();
      assembler.expire();
    }
    assembler.flushAll();
    journal.close();
    return assembled;
  }

  private static long meta(int kind, int small) {
    return kind | ((long) Outcome.OK << 8) | ((long) small << 16);
  }

  private static long ids(int obj, int elem) {
    return (obj & 0xFFFFFFFFL) | ((long) elem << 32);
  }
}
