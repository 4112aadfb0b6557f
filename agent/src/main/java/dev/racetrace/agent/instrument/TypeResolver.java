package dev.racetrace.agent.instrument;

/** Answers whether one type (internal name) is assignable to another, at transform time. */
interface TypeResolver {
  /**
   * @param type internal name of the static owner of a call, e.g. {@code com/acme/MyQueue}
   * @param family internal name of a JDK interface or class, e.g. {@code java/util/Queue}
   */
  boolean isAssignable(String type, String family);
}
