package dev.racetrace.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Producers and consumers over a LinkedBlockingQueue and an ArrayBlockingQueue, a startup latch
 * the consumers wait on, and a ThreadPoolExecutor the consumers hand each item to. Prints only
 * deterministic results. With {@code --virtual} (JDK 21+) consumers are virtual threads and the
 * pool is a virtual-thread-per-task executor.
 *
 * <p>The {@code // @marker} comments let the tests find the line numbers of the calls.
 */
public final class PipelineProgram {
  static final int ITEMS = 200;
  static final Item POISON = new Item(-1);

  static final CountDownLatch startupLatch = new CountDownLatch(1);
  static final BlockingQueue<Item> linkedQueue = new LinkedBlockingQueue<>();
  static final BlockingQueue<Item> arrayQueue = new ArrayBlockingQueue<>(4);

  /** A work item; its identity is what the queues carry. */
  public static final class Item {
    final int value;

    Item(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }
  }

  public static void main(String[] args) throws Exception {
    boolean virtual = args.length > 0 && args[0].equals("--virtual");
    ExecutorService pool = virtual ? VirtualThreads.perTaskExecutor()
        : new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    ThreadFactory consumers = virtual ? VirtualThreads.factory() : Thread::new;

    long[] linkedSum = new long[1];
    long[] arraySum = new long[1];
    Thread c1 = consumers.newThread(() -> consumeLinked(pool, linkedSum));
    Thread c2 = consumers.newThread(() -> consumeArray(pool, arraySum));
    c1.start();
    c2.start();
    waitUntilBlocked(c1);
    waitUntilBlocked(c2);
    startupLatch.countDown(); // @countdown

    Thread p1 = new Thread(() -> produce(linkedQueue), "producer-linked");
    Thread p2 = new Thread(() -> produce(arrayQueue), "producer-array");
    p1.start();
    p2.start();
    p1.join();
    p2.join();
    c1.join();
    c2.join();
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    System.out.println("linked: sum=" + linkedSum[0]);
    System.out.println("array: sum=" + arraySum[0]);
  }

  static void produce(BlockingQueue<Item> queue) {
    try {
      for (int i = 1; i <= ITEMS; i++) {
        if (queue == linkedQueue) {
          linkedQueue.put(new Item(i)); // @enqueue-linked
        } else {
          arrayQueue.put(new Item(i)); // @enqueue-array
        }
      }
      queue.put(POISON);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void consumeLinked(ExecutorService pool, long[] sum) {
    try {
      startupLatch.await(); // @await
      List<Future<Integer>> results = new ArrayList<>();
      while (true) {
        Item item = linkedQueue.take(); // @dequeue-linked
        if (item == POISON) {
          break;
        }
        results.add(pool.submit(() -> item.value * 2)); // @submit
      }
      for (Future<Integer> f : results) {
        sum[0] += f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void consumeArray(ExecutorService pool, long[] sum) {
    try {
      startupLatch.await(); // @await
      List<Future<Integer>> results = new ArrayList<>();
      while (true) {
        Item item = arrayQueue.poll(5, TimeUnit.SECONDS); // @dequeue-array
        if (item == null || item == POISON) {
          break;
        }
        results.add(pool.submit(() -> item.value * 3)); // @submit-array
      }
      for (Future<Integer> f : results) {
        sum[0] += f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitUntilBlocked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private PipelineProgram() {}
}
