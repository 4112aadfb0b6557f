package dev.racetrace.core.site;

/** Where an instrumented call is in the application's code, and what it calls. Immutable. */
public final class CallSite {
  private final int id;
  private final String className;
  private final String methodName;
  private final int line;
  private final String target;
  private final String receiverName;

  CallSite(int id, String className, String methodName, int line, String target, String receiverName) {
    this.id = id;
    this.className = className;
    this.methodName = methodName;
    this.line = line;
    this.target = target;
    this.receiverName = receiverName;
  }

  /**
   * A call site read back from a recording (a journal), outside the registry of the process that
   * recorded it.
   */
  public static CallSite of(int id, String className, String methodName, int line, String target,
      String receiverName) {
    return new CallSite(id, className, methodName, line, target, receiverName);
  }

  public int id() {
    return id;
  }

  /** Binary name of the class holding the call, e.g. {@code com.acme.Node}. */
  public String className() {
    return className;
  }

  /** Method holding the call. */
  public String methodName() {
    return methodName;
  }

  /** Source line, or -1 when the class has no line table. */
  public int line() {
    return line;
  }

  /** The instrumented method, e.g. {@code BlockingQueue.offer}. */
  public String target() {
    return target;
  }

  /** Field or local the receiver was read from, e.g. {@code Node.workQueue}, or null. */
  public String receiverName() {
    return receiverName;
  }

  @Override
  public String toString() {
    return className + "." + methodName + ":" + line + " " + target;
  }
}
