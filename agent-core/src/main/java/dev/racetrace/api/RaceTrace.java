package dev.racetrace.api;

import dev.racetrace.core.Recorder;
import dev.racetrace.core.StateProbes;
import dev.racetrace.core.ThreadState;
import dev.racetrace.core.hook.Events;
import java.util.function.LongSupplier;

/**
 * The public racetrace API. Every method is a cheap no-op when the agent is not attached, so
 * application code can call it unconditionally; with the agent attached it feeds the recorder.
 *
 * <pre>{@code
 * RaceTrace.state("metadata.entities", metadata::size); // recorded when work starts and at guards
 * RaceTrace.mark("publish", key);                         // an operation on a key, in the timeline
 * }</pre>
 */
public final class RaceTrace {
  private RaceTrace() {}

  /**
   * Registers a visible-state probe: its value is recorded, as {@code race.state.<name>}, whenever
   * a thread starts processing a dequeued element or a task, and at every guard check. The probe
   * must be cheap and O(1) (a counter, a size kept in a field), must not block, and runs on the
   * application thread. A probe that throws is disabled after three failures. Registering the same
   * name again replaces the probe.
   *
   * @param name the state's name, e.g. {@code "metadata.entities"}
   * @param probe reads the current value
   */
  public static void state(String name, LongSupplier probe) {
    if (name == null || probe == null) {
      return;
    }
    StateProbes.register(name, probe);
  }

  /**
   * Marks that operation {@code op} happens now on {@code key} on this thread, so it appears in the
   * key's timeline even where no queue or executor is involved. The key is stored by reference and
   * exported with {@code String.valueOf} off the hot path; nothing else about it is captured.
   *
   * @param op operation name, e.g. {@code "publish"}
   * @param key the entity the operation works on; may be null
   */
  public static void mark(String op, Object key) {
    ThreadState ts = op == null ? null : Recorder.recordingState();
    if (ts == null) {
      return;
    }
    Events.mark(ts, op, key, Recorder.nextSeq());
  }

  /** Whether the racetrace agent is attached and recording in this JVM. */
  public static boolean isActive() {
    return Recorder.isRecording();
  }
}
