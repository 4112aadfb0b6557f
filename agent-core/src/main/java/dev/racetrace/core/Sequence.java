package dev.racetrace.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class SequencePad0 {
  long p00, p01, p02, p03, p04, p05, p06, p07;
  long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class SequenceFields extends SequencePad0 {
  long value;
}

abstract class SequencePad1 extends SequenceFields {
  long p20, p21, p22, p23, p24, p25, p26, p27;
  long p30, p31, p32, p33, p34, p35, p36, p37;
}

/**
 * The process-wide event sequence ({@code race.seq}). It is a single counter on its own cache lines,
 * so it is linearizable: if event X happens-before the call that takes event Y's seq, then
 * {@code seq(X) < seq(Y)}. Callers take it <em>before</em> a publishing operation and <em>after</em>
 * a consuming one, which makes {@code seq(enqueue e) < seq(dequeue e)} for every element.
 *
 * <p>Values start at 1; 0 is reserved as the "empty slot" marker of {@code EventRing}.
 */
public final class Sequence extends SequencePad1 {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(SequenceFields.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Returns the next sequence number. */
  public long next() {
    return (long) VALUE.getAndAdd(this, 1L) + 1L; // fetch-add
  }

  /** The last sequence number handed out (0 if none). */
  public long current() {
    return (long) VALUE.getVolatile(this); // volatile
  }
}
