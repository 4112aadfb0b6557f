package dev.racetrace.it.programs;

import dev.racetrace.api.RaceTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A busy concurrent program that fits a 32 MiB heap on its own: producers and consumers on two
 * queues, a fixed pool running tasks in latched rounds, a lock around a shared counter; about a
 * million operations as fast as the threads go. Prints only deterministic checksums.
 *
 * <p>Arguments: {@code [items] [--huge-key]}. With {@code --huge-key} it also marks one operation
 * with a key whose {@code toString()} needs more than the heap: the application never calls it,
 * only a tracer that names keys does.
 */
public final class HeapProgram {
  private static final Item POISON = new Load(Long.MIN_VALUE);
  /** Distinct entity keys: enough that per-key state would grow large if it were not bounded. */
  private static final int KEYS = 100_000;
  private static final int PRODUCERS = 4;
  private static final int ROUNDS = 50;

  private static final ReentrantLock lock = new ReentrantLock();
  private static long locked;

  /** A unit of work for one entity key (racetrace.keys=...Item#key). */
  public abstract static class Item {
    final long value;

    Item(long value) {
      this.value = value;
    }

    public String key() {
      return "entity-" + (value % KEYS);
    }
  }

  /** Loads an entity's data (racetrace.ops: load). */
  public static final class Load extends Item {
    Load(long value) {
      super(value);
    }
  }

  /** Applies an update to an entity (racetrace.ops: apply). */
  public static final class Apply extends Item {
    Apply(long value) {
      super(value);
    }
  }

  /** A key whose text is larger than any heap this program runs with. */
  static final class HugeKey {
    @Override
    public String toString() {
      return "k".repeat(64 << 20); // 64 MiB of text: more than the whole heap
    }
  }

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 200_000;
    boolean hugeKey = List.of(args).contains("--huge-key");
    if (hugeKey) {
      RaceTrace.mark("huge", new HugeKey());
    }
    BlockingQueue<Item> array = new ArrayBlockingQueue<>(1024);
    BlockingQueue<Item> linked = new LinkedBlockingQueue<>(4096);

    List<Thread> threads = new ArrayList<>();
    long[] sums = new long[2 * PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
      BlockingQueue<Item> q = p % 2 == 0 ? array : linked;
      int id = p;
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < items; i++) {
            long v = (long) id * items + i;
            q.put(i % 2 == 0 ? new Load(v) : new Apply(v));
          }
          q.put(POISON);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "producer-" + p));
      threads.add(new Thread(() -> {
        long sum = 0;
        try {
          for (Item item; (item = q.take()) != POISON; ) {
            long v = item.value;
            sum += v * 31 + (v >>> 3);
            if ((v & 63) == 0) {
              count(1);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sums[PRODUCERS + id] = sum;
      }, "consumer-" + p));
    }
    threads.forEach(Thread::start);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    long tasks = 0;
    int perRound = items / 100;
    for (int r = 0; r < ROUNDS; r++) {
      CountDownLatch done = new CountDownLatch(perRound);
      List<Future<Long>> results = new ArrayList<>(perRound);
      for (int t = 0; t < perRound; t++) {
        long seed = (long) r * perRound + t;
        results.add(pool.submit(() -> {
          long h = seed;
          for (int k = 0; k < 8; k++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
          }
          count(2);
          done.countDown();
          return h >>> 17;
        }));
      }
      done.await();
      for (Future<Long> f : results) {
        tasks += f.get();
      }
    }
    pool.shutdown();
    for (Thread t : threads) {
      t.join();
    }
    long queues = 0;
    for (long s : sums) {
      queues += s;
    }
    System.out.println("queues " + queues);
    System.out.println("tasks " + tasks);
    System.out.println("locked " + locked);
  }

  private static void count(long n) {
    lock.lock();
    try {
      locked += n;
    } finally {
      lock.unlock();
    }
  }
}
