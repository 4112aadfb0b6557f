package dev.racetrace.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which methods of which application classes racetrace instruments as types (advice on the
 * class's own offer, take, execute, ...). A call-site hook on such a receiver and method only
 * delegates, so each operation is recorded once, by the advice. Methods a class inherits from the
 * JDK are not advised and stay recorded at the call site. Marked at transform time, before the
 * class exists.
 */
public final class TypeMarks {
  public static final int OFFER = 1;
  public static final int ADD = 1 << 1;
  public static final int PUT = 1 << 2;
  public static final int OFFER_TIMED = 1 << 3;
  public static final int POLL = 1 << 4;
  public static final int TAKE = 1 << 5;
  public static final int POLL_TIMED = 1 << 6;
  public static final int EXECUTE = 1 << 7;

  private static final Map<String, Integer> BY_NAME = new ConcurrentHashMap<>();
  private static volatile boolean any;
  private static final ClassValue<Integer> MARKS = new ClassValue<>() {
    @Override
    protected Integer computeValue(Class<?> type) {
      int bits = 0;
      for (Class<?> k = type; k != null; k = k.getSuperclass()) {
        bits |= BY_NAME.getOrDefault(k.getName(), 0);
      }
      return bits;
    }
  };

  private TypeMarks() {}

  /** Marks methods (bit set) of a class (binary name) as advised. Transform time only. */
  public static void mark(String className, int methods) {
    if (methods != 0) {
      BY_NAME.merge(className, methods, (a, b) -> a | b);
      any = true;
    }
  }

  /** Whether {@code o}'s class advises the given method itself. */
  public static boolean isMarked(Object o, int method) {
    return any && o != null && (MARKS.get(o.getClass()) & method) != 0;
  }
}
