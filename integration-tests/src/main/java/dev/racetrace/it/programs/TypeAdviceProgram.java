package dev.racetrace.it.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A service that uses its own queue class as a ThreadPoolExecutor's work queue (so the JDK calls
 * its offer/take) and its own Executor, until a line arrives on stdin. Prints the number of
 * tasks run.
 */
public final class TypeAdviceProgram {
  /** The application's own executor: runs the task on the calling thread. */
  public static final class InlineExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }

  public static void main(String[] args) throws Exception {
    AuditedQueue queue = new AuditedQueue();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue);
    InlineExecutor inline = new InlineExecutor();
    AtomicBoolean stop = new AtomicBoolean();
    Thread stdin = new Thread(() -> {
      try {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      } catch (Exception e) {
        // stop anyway
      }
      stop.set(true);
    });
    stdin.setDaemon(true);
    stdin.start();
    int ran = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!stop.get() && System.nanoTime() < deadline) {
      Future<?> a = pool.submit(() -> { });
      Future<?> b = pool.submit(() -> { }); // queued behind a: offered to AuditedQueue by the JDK
      a.get();
      b.get();
      inline.execute(() -> { }); // @inline-execute
      ran += 3;
      Thread.sleep(5);
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    System.out.println("ran=" + ran + " offers>0=" + (queue.offers.get() > 0));
  }

  private TypeAdviceProgram() {}
}
