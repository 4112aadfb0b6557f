package dev.racetrace.core;

import java.lang.invoke.MethodHandle;

/**
 * The application's own current OpenTelemetry span, read at recorded events when
 * {@code racetrace.otel.link} is on, so that racetrace's spans can link to the application's trace.
 *
 * <p>The agent installs a method handle that returns the application's
 * {@code Span.current().getSpanContext()} (of the application's own OTel API, resolved by the agent
 * through the class loader that loaded it; this class, on the bootstrap path, cannot name it). Only a
 * change of that context is recorded ({@link EventKind#APP_CONTEXT}); the exporter applies it to the
 * thread's later events. Without the handle this costs one volatile read per event.
 */
public final class AppSpans {
  private static volatile MethodHandle currentContext;

  private AppSpans() {}

  /**
   * Starts reading the application's current span context with {@code handle}, of type
   * {@code ()Object}; {@code null} stops.
   */
  public static void install(MethodHandle handle) {
    currentContext = handle;
  }

  /** Whether a handle is installed. */
  public static boolean installed() {
    return currentContext != null;
  }

  /**
   * Records the thread's current application span context before an event, if it changed.
   *
   * @return false if it changed and could not be recorded (the ring is full): the event must be
   *     dropped too, or the exporter would attribute it to the previous span
   */
  static boolean track(ThreadState ts, long seq, long time, int site) {
    MethodHandle h = currentContext;
    if (h == null) {
      return true;
    }
    Object context;
    ts.inCallout = true; // whatever the application's OTel code calls is not recorded
    try {
      context = (Object) h.invokeExact();
    } catch (Throwable t) {
      // a broken or incompatible OTel API: stop asking, never fail the application's call
      currentContext = null;
      Recorder.countInternalError();
      return true;
    } finally {
      ts.inCallout = false;
    }
    if (context != ts.appContext) {
      long meta = EventKind.APP_CONTEXT | ((long) site << 32);
      if (!ts.ring.write(seq, time, meta, ts.threadId, 0, 0, 0, 0, null, context)) {
        return false; // not noted as recorded: the next event tries again
      }
      ts.appContext = context;
    }
    return true;
  }
}
