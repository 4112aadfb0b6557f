package dev.racetrace.it.programs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many short-lived platform threads, each handing items through a queue: with a ring per thread
 * this is where racetrace's memory grows with the thread count. Prints a deterministic sum.
 */
public final class ManyThreadsProgram {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    AtomicLong sum = new AtomicLong();
    Thread[] all = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      final int n = i;
      all[i] = new Thread(() -> {
        BlockingQueue<Integer> q = new ArrayBlockingQueue<>(4);
        for (int k = 0; k < 4; k++) {
          q.offer(n + k);
          sum.addAndGet(q.poll());
        }
      });
      all[i].start();
    }
    for (Thread t : all) {
      t.join();
    }
    System.out.println("threads=" + threads + " sum=" + sum.get());
  }
}
