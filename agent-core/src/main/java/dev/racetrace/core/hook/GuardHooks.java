package dev.racetrace.core.hook;

import dev.racetrace.core.Keys;
import dev.racetrace.core.Outcome;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.ThreadState;
import java.util.UUID;

/**
 * Hooks for declared guards: reads of readiness fields ({@code racetrace.guards.flags}) and calls
 * of guard methods ({@code racetrace.guards.methods}). A flag hook receives the value the code just
 * read and returns it unchanged.
 */
public final class GuardHooks {
  private GuardHooks() {}

  /**
   * Right after a guard or queue object was constructed in an enabled class: remembers where, so
   * that calls reaching it through a parameter or another method's result are named after its
   * allocation. Once per object, never on a guarded call's path.
   *
   * @param object the new object (never null: the constructor just returned)
   * @param site the allocation site, naming the field it is stored to or the site itself
   */
  public static void allocated(Object object, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Events.objectNew(ts, site, object);
    }
  }

  public static boolean flagRead(boolean value, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Events.flagRead(ts, site, value ? 1 : 0, 1);
    }
    return value;
  }

  public static int flagRead(int value, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Events.flagRead(ts, site, value, 2);
    }
    return value;
  }

  public static long flagRead(long value, int site) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts != null) {
      Events.flagRead(ts, site, value, 3);
    }
    return value;
  }

  /**
   * Called (from inlined advice) when a guard method returns or throws.
   *
   * @param args the method's arguments
   * @param result the decision returned (boxed), or null
   * @param startNanos nanoTime when the method was entered
   * @param thrown what the method threw, or null
   */
  public static void guardMethodExit(Object[] args, Object result, long startNanos, int site,
      Throwable thrown) {
    ThreadState ts = Recorder.stateWithRoom();
    if (ts == null) {
      return;
    }
    long decision = result instanceof Boolean ? (((Boolean) result) ? 1 : 0) : -1;
    int outcome = thrown == null ? Outcome.OK : Outcome.of(thrown);
    Events.guardMethod(ts, site, decision, startNanos, outcome, keyOf(args), result);
  }

  /** The first argument with a configured key, else the first argument that is itself a key-like value. */
  static Object keyOf(Object[] args) {
    if (args == null) {
      return null;
    }
    for (Object a : args) {
      Object k = Keys.of(a);
      if (k != null) {
        return k;
      }
    }
    for (Object a : args) {
      if (a instanceof CharSequence || a instanceof Number || a instanceof UUID || a instanceof Enum) {
        return a;
      }
    }
    return null;
  }
}
