package dev.racetrace.it.programs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hand-offs besides execute/submit: ScheduledThreadPoolExecutor.schedule(Runnable) and
 * scheduleAtFixedRate, and ForkJoinPool.invoke / submit / execute of a RecursiveTask (which forks
 * subtasks of its own). Each task is keyed (racetrace.keys names Job#key and Sum#key); prints what
 * each computed.
 */
public final class HandOffProgram {
  /** A keyed Runnable. */
  public static final class Job implements Runnable {
    final String key;
    final CountDownLatch ran;

    Job(String key, int runs) {
      this.key = key;
      this.ran = new CountDownLatch(runs);
    }

    @Override
    public void run() {
      ran.countDown();
    }
  }

  /** A keyed RecursiveTask: sums 1..n, splitting in two below the top (its subtasks are unkeyed). */
  public static final class Sum extends RecursiveTask<Long> {
    final String key;
    final long from;
    final long to;

    Sum(String key, long from, long to) {
      this.key = key;
      this.from = from;
      this.to = to;
    }

    @Override
    protected Long compute() {
      if (to - from < 1000) {
        long s = 0;
        for (long i = from; i <= to; i++) {
          s += i;
        }
        return s;
      }
      long mid = (from + to) / 2;
      Sum left = new Sum(null, from, mid);
      left.fork();
      return new Sum(null, mid + 1, to).compute() + left.join();
    }
  }

  public static void main(String[] args) throws Exception {
    ScheduledExecutorService ses = new ScheduledThreadPoolExecutor(1);
    Job once = new Job("ran-schedule-runnable", 1);
    ses.schedule(once, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
    System.out.println("schedule ran=" + (once.ran.getCount() == 0));
    Job rate = new Job("ran-fixed-rate", 3);
    ScheduledFuture<?> ticking = ses.scheduleAtFixedRate(rate, 0, 1, TimeUnit.MILLISECONDS);
    System.out.println("fixedRate ran3=" + rate.ran.await(5, TimeUnit.SECONDS));
    ticking.cancel(false);
    ses.shutdown();

    ForkJoinPool fj = new ForkJoinPool(2);
    System.out.println("invoke=" + fj.invoke(new Sum("ran-fj-invoke", 1, 10_000)));
    System.out.println("submit=" + fj.submit(new Sum("ran-fj-submitTask", 1, 10_000)).get(5, TimeUnit.SECONDS));
    Sum executed = new Sum("ran-fj-executeTask", 1, 10_000);
    fj.execute(executed);
    System.out.println("execute=" + executed.get(5, TimeUnit.SECONDS));
    fj.shutdown();
    System.out.println("terminated=" + (ses.awaitTermination(5, TimeUnit.SECONDS)
        && fj.awaitTermination(5, TimeUnit.SECONDS)));
  }
}
