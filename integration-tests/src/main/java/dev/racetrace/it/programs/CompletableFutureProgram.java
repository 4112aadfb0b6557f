package dev.racetrace.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Every CompletableFuture async hand-off, each stage capturing a keyed {@link Order} whose id names
 * the case: supplyAsync / runAsync / thenApplyAsync (on a completed and on a pending stage) /
 * thenAcceptAsync on a ThreadPoolExecutor, on a ForkJoinPool and on the common pool; with
 * {@code --virtual} also on a virtual-thread-per-task executor. Prints what each stage computed.
 */
public final class CompletableFutureProgram {
  /** The keyed class. */
  public static final class Order {
    final String id;

    Order(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  static String handle(Order o) {
    return "handled " + o.id;
  }

  public static void main(String[] args) throws Exception {
    List<String> out = new ArrayList<>();
    ExecutorService tpe = Executors.newFixedThreadPool(2);
    ForkJoinPool fj = new ForkJoinPool(2);
    stages("tpe", tpe, out);
    stages("fj", fj, out);
    commonPool(out);
    ExecutorService virtual = null;
    if (args.length > 0 && args[0].equals("--virtual")) {
      virtual = VirtualThreads.perTaskExecutor();
      stages("virtual", virtual, out);
    }
    out.forEach(System.out::println);
    tpe.shutdown();
    fj.shutdown();
    boolean terminated = tpe.awaitTermination(5, TimeUnit.SECONDS) && fj.awaitTermination(5, TimeUnit.SECONDS);
    if (virtual != null) {
      virtual.shutdown();
      terminated &= virtual.awaitTermination(5, TimeUnit.SECONDS);
    }
    System.out.println("terminated=" + terminated);
  }

  static void stages(String kind, ExecutorService ex, List<String> out) throws Exception {
    Order supply = new Order(kind + "-supplyAsync");
    out.add(CompletableFuture.supplyAsync(() -> handle(supply), ex).get(5, TimeUnit.SECONDS));
    Order run = new Order(kind + "-runAsync");
    CountDownLatch ran = new CountDownLatch(1);
    CompletableFuture.runAsync(() -> {
      handle(run);
      ran.countDown();
    }, ex).get(5, TimeUnit.SECONDS);
    out.add(kind + " runAsync ran=" + (ran.getCount() == 0));
    Order applyDone = new Order(kind + "-thenApplyAsync-completed");
    out.add(CompletableFuture.completedFuture("x").thenApplyAsync(v -> handle(applyDone) + v, ex)
        .get(5, TimeUnit.SECONDS));
    // a pending stage: its task is dispatched by the thread that completes the source
    Order applyPending = new Order(kind + "-thenApplyAsync-pending");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> applied = source.thenApplyAsync(v -> handle(applyPending) + v, ex);
    source.complete("y");
    out.add(applied.get(5, TimeUnit.SECONDS));
    Order accept = new Order(kind + "-thenAcceptAsync");
    List<String> accepted = new ArrayList<>();
    CompletableFuture.completedFuture("z").thenAcceptAsync(v -> accepted.add(handle(accept) + v), ex)
        .get(5, TimeUnit.SECONDS);
    out.addAll(accepted);
  }

  static void commonPool(List<String> out) throws Exception {
    Order supply = new Order("common-supplyAsync");
    out.add(CompletableFuture.supplyAsync(() -> handle(supply)).get(5, TimeUnit.SECONDS));
    Order apply = new Order("common-thenApplyAsync");
    out.add(CompletableFuture.completedFuture("w").thenApplyAsync(v -> handle(apply) + v)
        .get(5, TimeUnit.SECONDS));
  }
}
