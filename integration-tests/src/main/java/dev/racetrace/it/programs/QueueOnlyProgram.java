package dev.racetrace.it.programs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands 1,000 numbers from a producer thread to main through an ArrayBlockingQueue, and nothing
 * else: no executor, no fork/join, no CompletableFuture. Prints their sum.
 */
public final class QueueOnlyProgram {
  public static void main(String[] args) throws Exception {
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
    Thread producer = new Thread(() -> {
      try {
        for (int i = 1; i <= 1000; i++) {
          queue.put(i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "producer");
    producer.start();
    long sum = 0;
    for (int i = 0; i < 1000; i++) {
      sum += queue.take();
    }
    producer.join();
    System.out.println("sum=" + sum);
  }
}
