package dev.racetrace.it.programs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A service that stops on SIGTERM: prints "serving" and waits; its shutdown hook (like a server
 * draining its pools) first lets in-flight work finish for a moment (300 ms, far longer than the
 * rings' quiet time racetrace would otherwise stop at), then moves 200 items through a queue on a
 * thread named "app-shutdown-hook" and prints their sum.
 */
public final class ShutdownHookProgram {
  public static void main(String[] args) throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Thread.sleep(300); // a grace period for in-flight requests, as servers give at SIGTERM
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
      Thread consumer = new Thread(() -> {
        long sum = 0;
        try {
          for (int i = 0; i < 200; i++) {
            sum += queue.take();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        System.out.println("drained: sum=" + sum);
      }, "app-shutdown-consumer");
      consumer.start();
      try {
        for (int i = 1; i <= 200; i++) {
          queue.put(i);
        }
        consumer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "app-shutdown-hook"));
    System.out.println("serving");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private ShutdownHookProgram() {}
}
