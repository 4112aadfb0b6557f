package dev.racetrace.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * At attach: the threads already inside code of the enabled packages. The JVM runs a retransformed
 * method from its next call on, never in a frame already running, so what such a frame does itself
 * (the {@code queue.take()} of a consumer loop) stays unrecorded until the method is entered again.
 * Looked up once per attach (a stack walk of every thread), never on the hot path.
 */
public final class RunningFrames {
  private static final int NAMED = 5;

  private RunningFrames() {}

  /** The note for the attach answer, or "" when no thread runs enabled code. */
  public static String note(PackageFilter filter) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      StackTraceElement[] frames = e.getValue();
      for (int i = frames.length - 1; i >= 0; i--) { // outermost first: a loop sits low on the stack
        if (filter.matches(frames[i].getClassName())) {
          found.add(e.getKey().getName() + " in " + simpleName(frames[i].getClassName()) + "."
              + frames[i].getMethodName());
          break;
        }
      }
    }
    if (found.isEmpty()) {
      return "";
    }
    found.sort(null);
    String named = String.join(", ", found.subList(0, Math.min(NAMED, found.size())))
        + (found.size() > NAMED ? " and " + (found.size() - NAMED) + " more" : "");
    return "; note: " + found.size() + " thread(s) were already inside the enabled packages (" + named
        + "): those methods run their original code until they return, so what they do themselves"
        + " (e.g. a queue.take() in a loop) is not recorded until they are entered again";
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
