package dev.racetrace.agent.instrument.woven;

import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A queue and executor whose advised methods return from several places, throw, loop, catch, reuse
 * local slots for other types and take long arguments: what the woven advice must leave exactly as
 * it was. Not thread-safe; the test drives it from one thread.
 */
public class TrickyQueue extends AbstractQueue<Object> implements Executor {
  private final ArrayDeque<Object> items = new ArrayDeque<>();
  private final int capacity;
  public int ran;

  public TrickyQueue(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean offer(Object e) {
    if (e == null) {
      throw new NullPointerException("null element");
    }
    if (items.size() >= capacity) {
      return false;
    }
    for (int i = 0; i < 2; i++) { // a loop: frames at its head
      if (i == 1) {
        items.addLast(e);
      }
    }
    return true;
  }

  public boolean offer(Object e, long timeout, TimeUnit unit) {
    long nanos = unit.toNanos(timeout);
    Object slot = nanos; // a slot for a boxed long ...
    if (nanos < 0) {
      String s = "negative"; // ... and later another type in a reused slot
      throw new IllegalArgumentException(s + " " + slot);
    }
    try {
      return offer(e);
    } catch (NullPointerException npe) {
      throw new IllegalStateException("wrapped", npe);
    }
  }

  public boolean offer(Object e, Duration d) {
    return d.isNegative() ? false : offer(e);
  }

  @Override
  public Object poll() {
    while (true) {
      Object head = items.pollFirst();
      if (head == null) {
        return null;
      }
      if (!"skip".equals(head)) {
        return head;
      }
    }
  }

  public Object poll(long timeout, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before polling");
    }
    return poll();
  }

  @Override
  public Object peek() {
    return items.peekFirst();
  }

  @Override
  public Iterator<Object> iterator() {
    return items.iterator();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public void execute(Runnable task) {
    if (task == null) {
      throw new RejectedExecutionException("no task");
    }
    synchronized (this) {
      ran++;
      task.run();
    }
  }
}
