package dev.racetrace.it.programs;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Rule violations in a stream of noise: two noise threads {@code offer}/{@code poll} a thread-local
 * ArrayDeque at {@code noiseRate} events/s in total (no key, no rule), while every 100 ms one key's
 * {@code Load} goes to a congested path that finishes it only after the key's {@code Apply} ran on
 * the worker (a violation of "load < apply per key"; the key is printed as {@code odd=...}) and
 * one key is handled in order. Runs {@code seconds}, then prints {@code offers=<noise offers in
 * all>} and {@code done}.
 *
 * <p>Usage: {@code LiveBudgetProgram <noiseRate> <seconds>}.
 */
public final class LiveBudgetProgram {
  static final BlockingQueue<Op> workQueue = new LinkedBlockingQueue<>();
  static final BlockingQueue<Op> congestedQueue = new LinkedBlockingQueue<>();
  static final Map<String, CountDownLatch> applied = new ConcurrentHashMap<>();
  static volatile boolean stop;
  static final java.util.concurrent.atomic.AtomicLong offers = new java.util.concurrent.atomic.AtomicLong();

  /** An operation on one key (racetrace.keys: Op#key). */
  public abstract static class Op {
    private final String key;

    Op(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** Loads the key's data; must end before the key's Apply runs. */
  public static final class Load extends Op {
    Load(String key) {
      super(key);
    }
  }

  /** Applies an update to the key. */
  public static final class Apply extends Op {
    Apply(String key) {
      super(key);
    }
  }

  private LiveBudgetProgram() {}

  public static void main(String[] args) throws Exception {
    long noiseRate = Long.parseLong(args[0]);
    long seconds = Long.parseLong(args[1]);
    Thread[] noise = new Thread[2];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = new Thread(() -> noise(noiseRate / 2), "noise-" + i);
      noise[i].start();
    }
    Thread worker = new Thread(LiveBudgetProgram::work, "worker");
    Thread loader = new Thread(LiveBudgetProgram::loadLate, "congested-loader");
    worker.start();
    loader.start();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    for (int n = 0; System.nanoTime() < end; n++) {
      String odd = "odd-" + n;
      applied.put(odd, new CountDownLatch(1));
      System.out.println("odd=" + odd);
      congestedQueue.put(new Load(odd)); // sent first, ends after the Apply ran
      workQueue.put(new Apply(odd));
      String fine = "fine-" + n;
      applied.put(fine, new CountDownLatch(1));
      workQueue.put(new Load(fine));
      workQueue.put(new Apply(fine));
      Thread.sleep(100);
    }
    stop = true;
    for (Thread t : noise) {
      t.join();
    }
    workQueue.put(new Apply(null));
    congestedQueue.put(new Load(null));
    worker.join();
    loader.join();
    System.out.println("offers=" + offers.get());
    System.out.println("done");
  }

  static void noise(long perSecond) {
    ArrayDeque<Object> q = new ArrayDeque<>();
    Object element = new Object();
    long nanosPerEvent = 1_000_000_000L / Math.max(1, perSecond);
    long start = System.nanoTime();
    long produced = 0;
    while (!stop) {
      for (int b = 0; b < 64; b++) {
        q.offer(element);
        q.poll();
      }
      produced += 128;
      offers.addAndGet(64);
      long due = start + produced * nanosPerEvent;
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
      }
    }
  }

  static void work() {
    try {
      while (true) {
        Op op = workQueue.take();
        if (op.key() == null) {
          return;
        }
        if (op instanceof Apply) {
          applied.get(op.key()).countDown();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The congested path: takes the Load at once but finishes it only after the key's Apply ran. */
  static void loadLate() {
    try {
      while (true) {
        Op op = congestedQueue.take();
        if (op.key() == null) {
          return;
        }
        applied.get(op.key()).await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
