package dev.racetrace.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Looks at every task and future object an executor lets the application see (getQueue(),
 * remove, purge, shutdownNow(), rejection handlers, the returned Future's identity, equals,
 * hashCode and toString) for each kind of executor, and prints one deterministic line per
 * observation. Run with and without the agent, the output must be equal, and every identity check
 * prints true: racetrace never puts an object of its own where the application can see it.
 *
 * <p>Tasks that do run carry a key ({@link Task#key}, {@code racetrace.keys}) naming the executor
 * kind, so the test can check that each run was linked to its submit, with the task untouched.
 * With {@code --virtual} (JDK 21+) the virtual-thread-per-task executor is checked too.
 */
public final class InvisibilityProgram {
  private static final List<String> out = new ArrayList<>();

  /** An application task: its own type, its own toString, comparable for priority queues. */
  public static class Task implements Runnable, Callable<String>, Comparable<Task> {
    final String name;
    final CountDownLatch ran = new CountDownLatch(1);

    Task(String name) {
      this.name = name;
    }

    public String key() {
      return name;
    }

    @Override
    public void run() {
      ran.countDown();
    }

    @Override
    public String call() {
      ran.countDown();
      return "result-" + name;
    }

    @Override
    public int compareTo(Task o) {
      return name.compareTo(o.name);
    }

    @Override
    public String toString() {
      return "task-" + name;
    }
  }

  public static void main(String[] args) throws Exception {
    for (String kind : new String[] {"linked", "array", "priority"}) {
      threadPool(kind);
    }
    synchronousQueue();
    rejection();
    scheduled();
    forkJoin();
    factories();
    ownExecutorService();
    ownExecutor();
    completableFuture();
    jdkInternals();
    if (args.length > 0 && args[0].equals("--virtual")) {
      virtualThreads();
    }
    out.forEach(System.out::println);
  }

  /**
   * racetrace defines its recorder's classes in the bootstrap loader through a package of java.base
   * that it opens to a class loader of its own only: the application must not gain access to it.
   */
  static void jdkInternals() {
    Module app = InvisibilityProgram.class.getModule();
    say("jdkInternalMisc.exported", Object.class.getModule().isExported("jdk.internal.misc", app));
    say("jdkInternalMisc.open", Object.class.getModule().isOpen("jdk.internal.misc", app));
  }

  static void say(String name, Object value) {
    out.add(name + "=" + value);
  }

  /** Object identities and lambda class names differ from run to run; the rest must not. */
  static String stable(Object o) {
    return String.valueOf(o).replaceAll("@[0-9a-f]+", "@H").replaceAll("\\$\\$Lambda[^\\]\\s,]*", "\\$\\$Lambda");
  }

  /** Blocks the only worker of a pool until released, so what is handed over next stays queued. */
  static CountDownLatch occupy(Executor pool) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(new Task("zz-blocker") {
      @Override
      public void run() {
        busy.countDown();
        await(release);
      }
    });
    busy.await();
    return release;
  }

  static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void threadPool(String kind) throws Exception {
    BlockingQueue<Runnable> q = kind.equals("linked") ? new LinkedBlockingQueue<>()
        : kind.equals("array") ? new ArrayBlockingQueue<>(8) : new PriorityBlockingQueue<>();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, q);
    String p = "tpe." + kind;
    CountDownLatch release = occupy(pool);
    Task a = new Task("a");
    Task b = new Task("b");
    pool.execute(a);
    pool.execute(b);
    say(p + ".queue.contains", pool.getQueue().contains(a) && pool.getQueue().contains(b));
    say(p + ".queue.size", pool.getQueue().size());
    say(p + ".queue.peek.same", pool.getQueue().peek() == a);
    say(p + ".queue.castable", ((Task) pool.getQueue().peek()).name);
    say(p + ".queue.toString", stable(pool.getQueue()));
    say(p + ".remove", pool.remove(a));
    say(p + ".remove.again", pool.remove(a));
    say(p + ".queue.afterRemove", stable(pool.getQueue()));
    Future<?> f = null;
    if (!kind.equals("priority")) { // a FutureTask is not Comparable: a priority queue refuses it
      f = pool.submit((Callable<String>) new Task("c"));
      say(p + ".future.queued", pool.getQueue().contains(f));
      say(p + ".future.toString", stable(f));
      say(p + ".future.equalsItself", f.equals(f) && f.hashCode() == System.identityHashCode(f));
      say(p + ".future.cancel", f.cancel(false));
      say(p + ".purge.before", pool.getQueue().size());
      pool.purge();
      say(p + ".purge.after", pool.getQueue().size());
      say(p + ".purge.keeps", pool.getQueue().contains(b) && !pool.getQueue().contains(f));
    }
    Task d = new Task("d");
    pool.execute(d);
    List<Runnable> pending = pool.shutdownNow();
    say(p + ".shutdownNow", stable(pending));
    say(p + ".shutdownNow.same", pending.contains(b) && pending.contains(d) && pending.get(0) == b);
    say(p + ".shutdownNow.castable", ((Task) pending.get(pending.size() - 1)).name);
    release.countDown();
    say(p + ".terminated", pool.awaitTermination(5, TimeUnit.SECONDS));
    ranThrough(kind.equals("linked") ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>())
        : kind.equals("array") ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8))
        : new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>()), p, !kind.equals("priority"));
  }

  /** Tasks that run: their result, and their key for the span check. */
  static void ranThrough(ExecutorService ex, String p, boolean submit) throws Exception {
    Task e = new Task("ran-" + p + "-execute");
    ex.execute(e);
    say(p + ".execute.ran", e.ran.await(5, TimeUnit.SECONDS));
    if (submit) {
      Task s = new Task("ran-" + p + "-submit");
      say(p + ".submit.result", ex.submit((Callable<String>) s).get(5, TimeUnit.SECONDS));
      Task r = new Task("ran-" + p + "-submitRunnable");
      say(p + ".submitRunnable.result", ex.submit((Runnable) r, "done").get(5, TimeUnit.SECONDS));
    }
    ex.shutdown();
    say(p + ".ran.terminated", ex.awaitTermination(5, TimeUnit.SECONDS));
  }

  static void synchronousQueue() throws Exception {
    AtomicReference<Runnable> seen = new AtomicReference<>();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
        (r, executor) -> seen.set(r));
    CountDownLatch release = occupy(pool);
    Task a = new Task("a");
    pool.execute(a);
    say("tpe.sync.handler.same", seen.get() == a);
    say("tpe.sync.handler.castable", ((Task) seen.get()).name);
    Future<?> f = pool.submit((Callable<String>) new Task("b"));
    say("tpe.sync.handler.future", seen.get() == f);
    say("tpe.sync.queue", stable(pool.getQueue()));
    release.countDown();
    pool.shutdown();
    say("tpe.sync.terminated", pool.awaitTermination(5, TimeUnit.SECONDS));
    // enough threads: a worker that just finished may not be taking from the SynchronousQueue yet
    ranThrough(new ThreadPoolExecutor(0, 8, 1, TimeUnit.SECONDS, new SynchronousQueue<>()), "tpe.sync", true);
  }

  static void rejection() throws Exception {
    ThreadPoolExecutor abort = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    CountDownLatch release = occupy(abort);
    abort.execute(new Task("queued"));
    try {
      abort.execute(new Task("x"));
      say("reject.abort", "accepted");
    } catch (RejectedExecutionException e) {
      say("reject.abort", stable(e.getMessage()));
    }
    release.countDown();
    abort.shutdown();
    abort.awaitTermination(5, TimeUnit.SECONDS);

    ThreadPoolExecutor oldest = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
        new ThreadPoolExecutor.DiscardOldestPolicy());
    release = occupy(oldest);
    Task first = new Task("first");
    Task second = new Task("second");
    oldest.execute(first);
    oldest.execute(second);
    say("reject.discardOldest.kept", oldest.getQueue().peek() == second && oldest.getQueue().size() == 1);
    release.countDown();
    oldest.shutdown();
    oldest.awaitTermination(5, TimeUnit.SECONDS);
    say("reject.discardOldest.firstRan", first.ran.getCount() == 0);
    say("reject.discardOldest.secondRan", second.ran.getCount() == 0);

    List<String> handled = Collections.synchronizedList(new ArrayList<>());
    RejectedExecutionHandler own = (r, executor) -> handled.add(((Task) r).name);
    ThreadPoolExecutor custom = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), own);
    release = occupy(custom);
    custom.execute(new Task("fits"));
    custom.execute(new Task("rejected1"));
    custom.execute(new Task("rejected2"));
    say("reject.custom", handled);
    release.countDown();
    custom.shutdown();
    custom.awaitTermination(5, TimeUnit.SECONDS);

    ThreadPoolExecutor callerRuns = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
        new ThreadPoolExecutor.CallerRunsPolicy());
    release = occupy(callerRuns);
    callerRuns.execute(new Task("fits"));
    AtomicReference<String> where = new AtomicReference<>();
    Thread main = Thread.currentThread();
    callerRuns.execute(new Task("ran-reject.callerRuns") {
      @Override
      public void run() {
        where.set(Thread.currentThread() == main ? "caller" : "pool");
        super.run();
      }
    });
    say("reject.callerRuns", where.get());
    release.countDown();
    callerRuns.shutdown();
    callerRuns.awaitTermination(5, TimeUnit.SECONDS);
  }

  static void scheduled() throws Exception {
    ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
    Task later = new Task("later");
    ScheduledFuture<?> f = ses.schedule((Runnable) later, 1, TimeUnit.HOURS);
    ScheduledFuture<String> g = ses.schedule((Callable<String>) new Task("later2"), 2, TimeUnit.HOURS);
    say("stpe.queue.holdsTheFutures", ses.getQueue().contains(f) && ses.getQueue().contains(g)
        && ses.getQueue().size() == 2);
    say("stpe.future.toString", stable(f));
    say("stpe.future.equalsItself", f.equals(f) && !f.equals(g) && f.hashCode() == System.identityHashCode(f));
    say("stpe.remove", ses.remove((Runnable) f));
    ScheduledFuture<?> periodic = ses.scheduleAtFixedRate(new Task("periodic"), 1, 1, TimeUnit.HOURS);
    say("stpe.periodic.cancel", periodic.cancel(false));
    say("stpe.purge.before", ses.getQueue().size());
    ses.purge();
    say("stpe.purge.after", ses.getQueue().size());
    List<Runnable> pending = ses.shutdownNow();
    say("stpe.shutdownNow.same", pending.size() == 1 && pending.get(0) == g);
    say("stpe.terminated", ses.awaitTermination(5, TimeUnit.SECONDS));

    ScheduledThreadPoolExecutor runs = new ScheduledThreadPoolExecutor(1);
    Task s = new Task("ran-stpe-schedule");
    say("stpe.schedule.result", runs.schedule((Callable<String>) s, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS));
    Task tick = new Task("ran-stpe-periodic");
    ScheduledFuture<?> ticking = runs.scheduleWithFixedDelay(tick, 0, 1, TimeUnit.MILLISECONDS);
    say("stpe.periodic.ran", tick.ran.await(5, TimeUnit.SECONDS));
    ticking.cancel(false);
    ranThrough(runs, "stpe", true);
  }

  static void forkJoin() throws Exception {
    ForkJoinPool fj = new ForkJoinPool(1);
    Task c = new Task("ran-fj-submit");
    ForkJoinTask<String> f = fj.submit((Callable<String>) c);
    say("fj.submit.result", f.get(5, TimeUnit.SECONDS));
    say("fj.future.equalsItself", f.equals(f) && f.hashCode() == System.identityHashCode(f));
    Task e = new Task("ran-fj-execute");
    fj.execute(e);
    say("fj.execute.ran", e.ran.await(5, TimeUnit.SECONDS));
    List<Callable<String>> all = new ArrayList<>();
    all.add(new Task("ran-fj-invokeAll"));
    say("fj.invokeAll", fj.invokeAll(all).get(0).get());
    say("fj.shutdownNow", fj.shutdownNow());
    say("fj.terminated", fj.awaitTermination(5, TimeUnit.SECONDS));
  }

  static void factories() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    CountDownLatch release = occupy(single);
    Task a = new Task("a");
    single.execute(a);
    Future<?> f = single.submit((Runnable) new Task("b"));
    List<Runnable> pending = single.shutdownNow();
    say("single.shutdownNow.same", pending.size() == 2 && pending.get(0) == a && pending.get(1) == f);
    release.countDown();
    single.awaitTermination(5, TimeUnit.SECONDS);
    ranThrough(Executors.newSingleThreadExecutor(), "single", true);

    ExecutorService cached = Executors.newCachedThreadPool();
    say("cached.queue", stable(((ThreadPoolExecutor) cached).getQueue()));
    ranThrough(cached, "cached", true);
  }

  /** The application's own ExecutorService: its queue holds exactly what AbstractExecutorService handed it. */
  static final class OwnService extends AbstractExecutorService {
    final Queue<Runnable> queue = new ArrayDeque<>();
    boolean shutdown;

    @Override
    public void execute(Runnable command) {
      synchronized (queue) {
        queue.add(command);
      }
    }

    /** Runs what is queued, on the calling thread, as a worker would. */
    void drain() {
      while (true) {
        Runnable r;
        synchronized (queue) {
          r = queue.poll();
        }
        if (r == null) {
          return;
        }
        r.run();
      }
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      synchronized (queue) {
        List<Runnable> l = new ArrayList<>(queue);
        queue.clear();
        return l;
      }
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }

  static void ownExecutorService() throws Exception {
    OwnService own = new OwnService();
    Task a = new Task("ran-own-execute");
    own.execute(a);
    Future<String> f = own.submit((Callable<String>) new Task("ran-own-submit"));
    synchronized (own.queue) {
      say("own.queue.same", own.queue.size() == 2 && own.queue.peek() == a);
      say("own.queue.future", own.queue.contains(f));
    }
    own.drain();
    say("own.submit.result", f.get());
    say("own.execute.ran", a.ran.getCount() == 0);
    Task b = new Task("b");
    own.execute(b);
    List<Runnable> pending = own.shutdownNow();
    say("own.shutdownNow.same", pending.size() == 1 && pending.get(0) == b);
  }

  /** The application's own Executor, handing tasks to a thread of its own. */
  static void ownExecutor() throws Exception {
    BlockingQueue<Runnable> handed = new LinkedBlockingQueue<>();
    List<Runnable> seen = Collections.synchronizedList(new ArrayList<>());
    Executor own = command -> {
      seen.add(command);
      handed.add(command);
    };
    Thread worker = new Thread(() -> {
      try {
        handed.take().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    Task t = new Task("ran-ownExecutor");
    own.execute(t);
    worker.join(5_000);
    say("ownExecutor.same", seen.size() == 1 && seen.get(0) == t);
    say("ownExecutor.ran", t.ran.getCount() == 0);
  }

  /** CompletableFuture stages on a ThreadPoolExecutor and on a ForkJoinPool (their tasks are the JDK's). */
  static void completableFuture() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    say("cf.tpe", CompletableFuture.supplyAsync(() -> "supplied", pool)
        .thenApplyAsync(v -> v + "+applied", pool).get(5, TimeUnit.SECONDS));
    ForkJoinPool fj = new ForkJoinPool(1);
    say("cf.fj", CompletableFuture.runAsync(() -> { }, fj).thenApply(v -> "ran").get(5, TimeUnit.SECONDS));
    pool.shutdown();
    fj.shutdown();
    say("cf.terminated", pool.awaitTermination(5, TimeUnit.SECONDS) && fj.awaitTermination(5, TimeUnit.SECONDS));
  }

  static void virtualThreads() throws Exception {
    ExecutorService vt = VirtualThreads.perTaskExecutor();
    Task c = new Task("ran-virtual-submit");
    Future<String> f = vt.submit((Callable<String>) c);
    say("virtual.submit.result", f.get(5, TimeUnit.SECONDS));
    say("virtual.future.equalsItself", f.equals(f) && f.hashCode() == System.identityHashCode(f));
    Task e = new Task("ran-virtual-execute");
    AtomicReference<Boolean> virtual = new AtomicReference<>();
    vt.execute(new Task("ran-virtual-execute") {
      @Override
      public void run() {
        virtual.set(isVirtual());
        e.run();
      }
    });
    say("virtual.execute.ran", e.ran.await(5, TimeUnit.SECONDS));
    say("virtual.execute.onVirtualThread", virtual.get());
    vt.shutdown();
    say("virtual.terminated", vt.awaitTermination(5, TimeUnit.SECONDS));
  }

  static boolean isVirtual() {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    } catch (ReflectiveOperationException ex) {
      return false;
    }
  }
}
