package dev.racetrace.agent.instrument.wrapped;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A lock wrapper shaped like Jetty's AutoLock, and a class that uses it (test input, rewritten by LockWrappersTest). */
public final class Guarded {
  /** Like AutoLock: lock() returns this for try-with-resources, close() unlocks if held. */
  public static class Wrapper implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();

    public Wrapper lock() {
      lock.lock();
      return this;
    }

    public boolean isHeldByCurrentThread() {
      return lock.isHeldByCurrentThread();
    }

    public Condition newCondition() {
      return lock.newCondition();
    }

    @Override
    public void close() {
      if (isHeldByCurrentThread()) {
        lock.unlock();
      }
    }

    /** Locks twice: not a wrapper, its own calls stay recorded where they are. */
    public void relock() {
      lock.lock();
      lock.lock();
      lock.unlock();
      lock.unlock();
    }
  }

  /** Like AutoLock.WithCondition.lock(): returns the super wrapper's lock(). */
  public static class WithCondition extends Wrapper {
    @Override
    public WithCondition lock() {
      return (WithCondition) super.lock();
    }
  }

  private final Wrapper state = new WithCondition();
  private final WithCondition typed = new WithCondition();
  private int counter;

  public int increment() {
    try (Wrapper l = state.lock()) {
      counter++;
    }
    try (WithCondition l = typed.lock()) {
      counter++;
    }
    return counter;
  }
}
