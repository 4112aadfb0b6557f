package dev.racetrace.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The methods of a queue or executor class that get the type advice ({@link TypeAdviceWeaver}):
 * one row per name, argument count and, for a timed method, the type of its last argument. A class
 * is advised where it declares one of them with a body. Pool-style deques that are not JDK
 * BlockingDeques (takeFirst, pollFirst(Duration)) are covered by name.
 */
final class AdvisedMethod {
  /** What an advised method is. */
  enum Kind {
    ENQUEUE, DEQUEUE, EXECUTE
  }

  private static final String TIME_UNIT = "java/util/concurrent/TimeUnit";
  private static final String DURATION = "java/time/Duration";

  private static final AdvisedMethod[] ALL = {
    enqueue("offer", 1, null),
    enqueue("add", 1, null),
    enqueue("put", 1, null),
    enqueue("offer", 3, TIME_UNIT),
    enqueue("offer", 2, DURATION),
    enqueue("push", 1, null),
    enqueue("addFirst", 1, null),
    enqueue("addLast", 1, null),
    enqueue("offerFirst", 1, null),
    enqueue("offerLast", 1, null),
    enqueue("putFirst", 1, null),
    enqueue("putLast", 1, null),
    enqueue("offerFirst", 3, TIME_UNIT),
    enqueue("offerLast", 3, TIME_UNIT),
    enqueue("offerFirst", 2, DURATION),
    enqueue("offerLast", 2, DURATION),
    dequeue("poll", 0, null),
    dequeue("take", 0, null),
    dequeue("remove", 0, null),
    dequeue("poll", 2, TIME_UNIT),
    dequeue("poll", 1, DURATION),
    dequeue("pop", 0, null),
    dequeue("pollFirst", 0, null),
    dequeue("pollLast", 0, null),
    dequeue("removeFirst", 0, null),
    dequeue("removeLast", 0, null),
    dequeue("takeFirst", 0, null),
    dequeue("takeLast", 0, null),
    dequeue("pollFirst", 2, TIME_UNIT),
    dequeue("pollLast", 2, TIME_UNIT),
    dequeue("pollFirst", 1, DURATION),
    dequeue("pollLast", 1, DURATION),
    new AdvisedMethod(Kind.EXECUTE, "execute", 1, null),
  };

  final Kind kind;
  private final String name;
  private final int arguments;
  /** The internal name of a timed method's last argument, or null. */
  private final String timeType;

  private AdvisedMethod(Kind kind, String name, int arguments, String timeType) {
    this.kind = kind;
    this.name = name;
    this.arguments = arguments;
    this.timeType = timeType;
  }

  private static AdvisedMethod enqueue(String name, int arguments, String timeType) {
    return new AdvisedMethod(Kind.ENQUEUE, name, arguments, timeType);
  }

  private static AdvisedMethod dequeue(String name, int arguments, String timeType) {
    return new AdvisedMethod(Kind.DEQUEUE, name, arguments, timeType);
  }

  /** Whether the method waits at most a given time (its last argument says how long). */
  boolean timed() {
    return timeType != null;
  }

  /** What {@code m} is, or null (not advised: no body, static, or not one of these). */
  static AdvisedMethod of(MethodNode m) {
    if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0
        || m.instructions.size() == 0) {
      return null;
    }
    Type[] args = Type.getArgumentTypes(m.desc);
    for (AdvisedMethod row : ALL) {
      if (!row.name.equals(m.name) || row.arguments != args.length) {
        continue;
      }
      if (row.timeType != null && !args[args.length - 1].getInternalName().equals(row.timeType)) {
        continue;
      }
      if (row.kind != Kind.DEQUEUE && args[0].getSort() != Type.OBJECT && args[0].getSort() != Type.ARRAY) {
        continue; // the element or task is a reference; a primitive overload is something else
      }
      return row;
    }
    return null;
  }

  /** As {@code Class.getSimpleName()}: a nested class's own name, empty for an anonymous one. */
  static String simpleName(ClassNode cls) {
    for (InnerClassNode inner : cls.innerClasses) {
      if (inner.name.equals(cls.name)) {
        return inner.innerName == null ? "" : inner.innerName;
      }
    }
    return ReceiverNamer.simpleName(cls.name);
  }
}
