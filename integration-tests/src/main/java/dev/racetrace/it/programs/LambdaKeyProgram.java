package dev.racetrace.it.programs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Submits lambdas, an anonymous class and a method reference from {@code main}, each capturing a
 * keyed {@link Event} (racetrace.keys / racetrace.ops name Event), and one lambda that captures
 * only a String. Prints what each task computed.
 */
public final class LambdaKeyProgram {
  /** An application event: the keyed class. */
  public static final class Event {
    final String id;

    Event(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    String process() {
      return "processed " + id;
    }
  }

  static String handle(Event e) {
    return "handled " + e.id;
  }

  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Event lambda = new Event("order-lambda");
    System.out.println(pool.submit(() -> handle(lambda)).get());
    Event anonymous = new Event("order-anonymous");
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(new Runnable() {
      @Override
      public void run() {
        System.out.println(handle(anonymous));
        ran.countDown();
      }
    });
    ran.await();
    Event reference = new Event("order-reference");
    System.out.println(pool.submit(reference::process).get());
    String plain = "no-event";
    System.out.println(pool.submit(() -> plain.length()).get());
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }
}
