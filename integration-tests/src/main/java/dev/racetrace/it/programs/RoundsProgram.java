package dev.racetrace.it.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rounds of work through a queue and an executor: {@code rounds} (first argument, default 1) of
 * {@code items} (second, default 2000) each. With {@code --wait} it prints "round N" after each
 * round and waits for a line on stdin before the next, so a test can act between rounds (remove a
 * directory, attach, detach). Prints deterministic sums, and "main-end" last.
 */
public final class RoundsProgram {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    boolean wait = args.length > 2 && args[2].equals("--wait");
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (int i = 1; i <= rounds; i++) {
      System.out.println("round " + i + ": sum=" + round(items));
      System.out.flush();
      if (wait && stdin.readLine() == null) {
        break;
      }
    }
    System.out.println("main-end");
    System.out.flush();
  }

  static long round(int items) throws Exception {
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(64);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Thread producer = new Thread(() -> {
      try {
        for (int i = 1; i <= items; i++) {
          queue.put(i);
        }
        queue.put(-1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "rounds-producer");
    producer.start();
    long sum = 0;
    java.util.List<Future<Integer>> results = new java.util.ArrayList<>();
    for (int v; (v = queue.take()) != -1; ) {
      int value = v;
      results.add(pool.submit(() -> value * 2));
    }
    for (Future<Integer> f : results) {
      sum += f.get();
    }
    producer.join();
    pool.shutdown();
    return sum;
  }

  private RoundsProgram() {}
}
