package dev.racetrace.it.programs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An idle worker like a pool's reserved thread: it waits for work with a timeout, the wait expires,
 * it goes on (here: records that it idled) and waits again. Prints how often it idled.
 */
public final class IdleTimeoutProgram {
  private static final CountDownLatch work = new CountDownLatch(1);
  private static final BlockingQueue<Integer> idled = new ArrayBlockingQueue<>(1000);

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    for (int i = 0; i < rounds; i++) {
      if (!work.await(20, TimeUnit.MILLISECONDS)) {
        idled.offer(i); // went on without the work it waited for
      }
    }
    System.out.println("idled=" + idled.size());
  }

  private IdleTimeoutProgram() {}
}
