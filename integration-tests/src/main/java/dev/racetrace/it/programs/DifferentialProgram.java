package dev.racetrace.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;

/**
 * The differential conformance program: runs seeded scenarios over the {@code java.util.concurrent}
 * surface racetrace's hooks touch and prints a canonical transcript of what the application can
 * observe (values, exception types and messages, booleans, sizes, identities, interrupt flags,
 * which racetrace frames an exception shows; never a time). Every scenario's outcome is fixed by
 * its seed alone: threads are ordered by latches and by waiting for a state the JDK reports
 * (a thread parked, a party waiting), never by timing. Run with and without the agent (with
 * {@code racetrace.include} naming this package, so every call site here is rewritten), the two
 * transcripts must be identical.
 *
 * <p>Arguments: {@code seed iterations}. Each scenario runs {@code iterations} times, iteration
 * {@code i} with a {@link Random} seeded from the seed, the scenario's name and {@code i}.
 */
public final class DifferentialProgram {
  private static final StringBuilder out = new StringBuilder();
  private static String prefix = "";
  private static int lines;
  /** The running scenario's iteration: picks the variant that every few iterations must cover. */
  private static int iteration;

  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[0]);
    int iterations = Integer.parseInt(args[1]);
    Scenario[] scenarios = {
      new Scenario("tpe", DifferentialProgram::threadPool),
      new Scenario("tpe.invoke", DifferentialProgram::invoke),
      new Scenario("tpe.cancel", DifferentialProgram::cancel),
      new Scenario("stpe", DifferentialProgram::scheduled),
      new Scenario("fj", DifferentialProgram::forkJoin),
      new Scenario("cf", DifferentialProgram::completableFuture),
      new Scenario("queue", DifferentialProgram::queues),
      new Scenario("queue.blocking", DifferentialProgram::blockingQueues),
      new Scenario("queue.handoff", DifferentialProgram::handOffQueues),
      new Scenario("latch", DifferentialProgram::latch),
      new Scenario("barrier", DifferentialProgram::barrier),
      new Scenario("phaser", DifferentialProgram::phaser),
      new Scenario("exchanger", DifferentialProgram::exchanger),
      new Scenario("semaphore", DifferentialProgram::semaphore),
      new Scenario("lock", DifferentialProgram::locks),
      new Scenario("condition", DifferentialProgram::conditions),
      new Scenario("monitor", DifferentialProgram::monitors),
      new Scenario("virtual", DifferentialProgram::virtualThreads),
    };
    for (Scenario s : scenarios) {
      for (int i = 0; i < iterations; i++) {
        prefix = s.name + "#" + i + " ";
        iteration = i;
        Random r = new Random(seed ^ (s.name.hashCode() * 0x9E3779B97F4A7C15L) ^ i);
        try {
          s.body.run(r);
        } catch (Throwable t) {
          say("scenario.failed", describe(t, false));
        }
        say("interrupted.after", Thread.interrupted());
      }
    }
    prefix = "";
    say("lines", lines + 1);
    System.out.print(out);
    System.out.flush();
  }

  interface Body {
    void run(Random r) throws Exception;
  }

  static final class Scenario {
    final String name;
    final Body body;

    Scenario(String name, Body body) {
      this.name = name;
      this.body = body;
    }
  }

  interface Blocking {
    Object run() throws Exception;
  }

  static void say(String name, Object value) {
    lines++;
    out.append(prefix).append(name).append('=').append(value).append('\n');
  }

  /** The value, or the exception (see {@link #describe}), then the interrupt flag, which is cleared. */
  static String call(Blocking b) {
    return call(b, true);
  }

  static String call(Blocking b, boolean frames) {
    String result;
    try {
      result = String.valueOf(b.run());
    } catch (Throwable t) {
      result = describe(t, frames);
    }
    return stable(result) + (Thread.interrupted() ? " [interrupted]" : "");
  }

  /**
   * Only the exception's type (and an ExecutionException's cause's type): fork/join rethrows either
   * the exception itself or a copy it makes, whichever thread happened to throw it.
   */
  static String callType(Blocking b) {
    String result;
    try {
      result = String.valueOf(b.run());
    } catch (Throwable t) {
      result = t.getClass().getName();
      if (t instanceof java.util.concurrent.ExecutionException && t.getCause() != null) {
        result += " <- " + t.getCause().getClass().getName();
      }
      result += undocumentedFrames(t);
    }
    return result + (Thread.interrupted() ? " [interrupted]" : "");
  }

  static boolean isRacetrace(StackTraceElement e) {
    return e.getClassName().startsWith("dev.racetrace.") && !e.getClassName().startsWith("dev.racetrace.it.");
  }

  /**
   * The racetrace frames an exception shows beyond the documented ones (README, Known limits): one
   * hook frame ({@code dev.racetrace.core.hook}) where an instrumented call threw, and one
   * {@code TaskRuns} frame under each JDK run point a task passed (ThreadPoolExecutor's worker,
   * FutureTask, ...), never two racetrace frames in a row. Empty when there are none.
   */
  static String undocumentedFrames(Throwable t) {
    StackTraceElement[] st = t.getStackTrace();
    int hooks = 0;
    boolean ok = true;
    for (int i = 0; i < st.length; i++) {
      if (!isRacetrace(st[i])) {
        continue;
      }
      boolean next = i + 1 < st.length && isRacetrace(st[i + 1]);
      String cls = st[i].getClassName();
      if (cls.startsWith("dev.racetrace.core.hook.")) {
        hooks++;
        ok &= !next;
      } else if (cls.equals("dev.racetrace.core.task.TaskRuns")) {
        ok &= i + 1 < st.length && st[i + 1].getClassName().startsWith("java.util.concurrent.");
      } else {
        ok = false;
      }
    }
    return ok && hooks <= 1 ? "" : " RACETRACE-FRAMES=" + Arrays.toString(st);
  }

  /** Identity hashes and lambda class names differ from run to run; nothing else may. */
  static String stable(Object o) {
    return String.valueOf(o).replaceAll("@[0-9a-f]+", "@H").replaceAll("\\$\\$Lambda[^\\]\\s,:)]*", "\\$\\$Lambda");
  }

  /**
   * An exception as the application sees it: type, message, cause chain, and its stack: which
   * frames belong to racetrace (README: a hook adds one frame, no more) and the first frames that
   * do not. {@code frames} is false where the JDK itself makes the stack depend on scheduling
   * (fork/join rethrows a copy made on the joining thread; a CompletableFuture wraps on whichever
   * thread completes).
   */
  static String describe(Throwable t, boolean frames) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 4; c = c.getCause(), depth++) {
      if (depth > 0) {
        sb.append(" <- ");
      }
      sb.append(c.getClass().getName());
      if (c.getMessage() != null) {
        sb.append(':').append(stable(c.getMessage()));
      }
      List<String> top = new ArrayList<>();
      for (StackTraceElement e : c.getStackTrace()) {
        if (!isRacetrace(e) && top.size() < 3) {
          top.add(e.getClassName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda") + "." + e.getMethodName()
              + ":" + e.getLineNumber());
        }
      }
      sb.append(undocumentedFrames(c));
      if (frames) {
        sb.append(' ').append(top);
      }
      if (c.getSuppressed().length > 0) {
        sb.append(" suppressed=").append(c.getSuppressed().length);
      }
    }
    return sb.toString();
  }

  /** Spins until the JDK reports the state (a thread parked, a party waiting): order without timing. */
  static void until(BooleanSupplier state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!state.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("state not reached in 20 s");
      }
      LockSupport.parkNanos(20_000); // a back-off, not an order: the state decides
    }
  }

  static boolean parked(Thread t) {
    Thread.State s = t.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
  }

  static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static void join(Thread t) throws InterruptedException {
    t.join(20_000);
    if (t.isAlive()) {
      throw new IllegalStateException(t.getName() + " still alive after 20 s");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // executors

  /** An application task: its own type and name; comparable so priority queues accept it. */
  public static class Task implements Runnable, Callable<String>, Comparable<Task> {
    final String name;
    final List<String> ran;

    Task(String name, List<String> ran) {
      this.name = name;
      this.ran = ran;
    }

    @Override
    public void run() {
      ran.add(name + (Thread.currentThread().getName().equals("main") ? "@caller" : ""));
    }

    @Override
    public String call() {
      run();
      return "result-" + name;
    }

    @Override
    public int compareTo(Task o) {
      return name.compareTo(o.name);
    }

    @Override
    public String toString() {
      return "Task[" + name + "]";
    }
  }

  /** Occupies one worker until released; a shutdownNow interrupts it. */
  static final class Blocker extends Task {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release;
    volatile String end = "running";

    Blocker(String name, CountDownLatch release, List<String> ran) {
      super(name, ran);
      this.release = release;
    }

    @Override
    public void run() {
      started.countDown();
      try {
        release.await();
        end = "released";
      } catch (InterruptedException e) {
        end = "interrupted";
      }
    }
  }

  /** What an object the executor shows is: one of ours (by identity) or what type. */
  static String which(Object o, List<Object> handles, List<String> names) {
    for (int i = 0; i < handles.size(); i++) {
      if (handles.get(i) == o) {
        return names.get(i);
      }
    }
    return "foreign:" + o.getClass().getName();
  }

  static String all(Collection<?> c, List<Object> handles, List<String> names) {
    List<String> l = new ArrayList<>();
    for (Object o : c) {
      l.add(which(o, handles, names));
    }
    return l.toString();
  }

  static void threadPool(Random r) throws Exception {
    int workers = 1 + r.nextInt(2);
    int policy = iteration % 5;
    int kind = r.nextInt(policy == 2 ? 4 : 5); // DiscardOldest on a SynchronousQueue retries forever (the JDK's own)
    int cap = 1 + r.nextInt(3);
    BlockingQueue<Runnable> q = kind == 0 ? new LinkedBlockingQueue<>() : kind == 1 ? new LinkedBlockingQueue<>(cap)
        : kind == 2 ? new ArrayBlockingQueue<>(cap) : kind == 3 ? new PriorityBlockingQueue<>() : new SynchronousQueue<>();
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    List<String> handled = Collections.synchronizedList(new ArrayList<>());
    RejectedExecutionHandler handler = policy == 0 ? new ThreadPoolExecutor.AbortPolicy()
        : policy == 1 ? new ThreadPoolExecutor.CallerRunsPolicy()
        : policy == 2 ? new ThreadPoolExecutor.DiscardOldestPolicy()
        : policy == 3 ? new ThreadPoolExecutor.DiscardPolicy()
        : (task, ex) -> handled.add(task instanceof Task ? ((Task) task).name : "type:" + task.getClass().getName());
    ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 1, TimeUnit.MINUTES, q, handler);
    say("config", "workers=" + workers + " queue=" + q.getClass().getSimpleName() + " cap=" + q.remainingCapacity()
        + " policy=" + (policy == 4 ? "custom" : handler.getClass().getSimpleName()));
    CountDownLatch release = new CountDownLatch(1);
    List<Blocker> blockers = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Blocker b = new Blocker("blocker" + i, release, ran);
      blockers.add(b);
      pool.execute(b);
      b.started.await();
    }
    List<Object> handles = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      Task t = new Task("t" + i, ran);
      int how = r.nextInt(3);
      String result = call(() -> {
        if (how == 0) {
          pool.execute(t);
          return "executed";
        }
        Future<?> f = how == 1 ? pool.submit((Callable<String>) t) : pool.submit((Runnable) t, "v" + t.name);
        handles.add(f);
        names.add("F(" + t.name + ")");
        return "submitted " + f.getClass().getName();
      });
      handles.add(t);
      names.add(t.name);
      say("hand." + t.name + "." + (how == 0 ? "execute" : how == 1 ? "submitCallable" : "submitRunnable"), result);
    }
    say("handled", handled);
    say("ran.early", new ArrayList<>(ran));
    say("queue", all(pool.getQueue(), handles, names));
    say("queue.type", pool.getQueue().getClass().getName() + " same=" + (pool.getQueue() == q));
    say("queue.peek", q.peek() == null ? null : which(q.peek(), handles, names));
    say("queue.toString", stable(pool.getQueue()));
    say("counts", "active=" + pool.getActiveCount() + " pool=" + pool.getPoolSize() + " tasks=" + pool.getTaskCount()
        + " completed=" + pool.getCompletedTaskCount());
    for (int i = 0; i < handles.size(); i++) {
      if (r.nextInt(3) == 0) {
        Object h = handles.get(i);
        if (h instanceof Runnable) {
          say("remove." + names.get(i), pool.remove((Runnable) h));
        }
      }
      if (handles.get(i) instanceof Future && r.nextBoolean()) {
        Future<?> f = (Future<?>) handles.get(i);
        say("cancel." + names.get(i), f.cancel(r.nextBoolean()) + " done=" + f.isDone() + " cancelled=" + f.isCancelled());
      }
    }
    say("queue.beforePurge", all(pool.getQueue(), handles, names));
    pool.purge();
    say("queue.afterPurge", all(pool.getQueue(), handles, names));
    if (r.nextBoolean()) {
      List<Runnable> pending = pool.shutdownNow();
      say("shutdownNow", all(pending, handles, names));
      List<String> types = new ArrayList<>();
      for (Runnable p : pending) {
        types.add(p.getClass().getName());
      }
      say("shutdownNow.types", types);
      say("shutdownNow.castToOwnType", call(() -> {
        List<String> own = new ArrayList<>();
        for (Runnable p : pending) {
          own.add(p instanceof Future ? "future" : ((Task) p).name);
        }
        return own;
      }));
    } else {
      pool.shutdown();
      release.countDown();
    }
    say("execute.afterShutdown", call(() -> {
      pool.execute(new Task("late", ran));
      return "accepted";
    }).replaceAll("\\[(Shutting down|Terminated).*", "[...]"));
    say("terminated", pool.awaitTermination(20, TimeUnit.SECONDS));
    release.countDown();
    List<String> ends = new ArrayList<>();
    for (Blocker b : blockers) {
      ends.add(b.end);
    }
    say("blockers", ends);
    List<String> sortedRan = new ArrayList<>(ran);
    Collections.sort(sortedRan);
    say("ran", sortedRan);
    say("handled.end", handled);
    for (int i = 0; i < handles.size(); i++) {
      if (handles.get(i) instanceof Future) {
        Future<?> f = (Future<?>) handles.get(i);
        say("future." + names.get(i), f.isDone() ? call(() -> f.get(1, TimeUnit.SECONDS)) : "not done");
      }
    }
  }

  static void invoke(Random r) throws Exception {
    int workers = 1 + r.nextInt(3);
    ExecutorService pool = r.nextBoolean() ? Executors.newFixedThreadPool(workers)
        : new ThreadPoolExecutor(0, workers, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    int n = 1 + r.nextInt(4);
    List<Callable<String>> tasks = new ArrayList<>();
    int good = r.nextInt(n + 1);
    for (int i = 0; i < n; i++) {
      final int k = i;
      boolean fails = i != good;
      tasks.add(() -> {
        if (fails) {
          throw new IllegalStateException("task failed"); // one message: which failure invokeAny reports is not fixed
        }
        return "value" + k;
      });
    }
    List<Future<String>> all = pool.invokeAll(tasks);
    List<String> results = new ArrayList<>();
    for (Future<String> f : all) {
      results.add(f.isDone() + ":" + call(f::get));
    }
    say("invokeAll", results);
    say("invokeAny", call(() -> pool.invokeAny(tasks)));
    say("invokeAny.timed", call(() -> pool.invokeAny(tasks, 20, TimeUnit.SECONDS)));
    say("invokeAny.empty", call(() -> pool.invokeAny(new ArrayList<Callable<String>>())));
    say("invokeAll.null", call(() -> pool.invokeAll(null)));
    CountDownLatch never = new CountDownLatch(1);
    List<Callable<String>> blocking = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(2); i++) {
      blocking.add(() -> {
        never.await();
        return "never";
      });
    }
    List<Future<String>> timedOut = pool.invokeAll(blocking, 2, TimeUnit.MILLISECONDS);
    List<String> states = new ArrayList<>();
    for (Future<String> f : timedOut) {
      states.add(f.isCancelled() + ":" + call(f::get));
    }
    say("invokeAll.timeout", states);
    say("invokeAny.timeout", call(() -> pool.invokeAny(blocking, 2, TimeUnit.MILLISECONDS)));
    never.countDown();
    pool.shutdown();
    say("terminated", pool.awaitTermination(20, TimeUnit.SECONDS));
  }

  /** Future.cancel(true/false) on queued and running tasks; exceptions from tasks. */
  static void cancel(Random r) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicReference<String> taskSaw = new AtomicReference<>("nothing");
    boolean interrupt = r.nextBoolean();
    Future<String> running = pool.submit(() -> {
      started.countDown();
      try {
        release.await();
        taskSaw.set("released interrupted=" + Thread.currentThread().isInterrupted());
      } catch (InterruptedException e) {
        taskSaw.set("InterruptedException interrupted=" + Thread.currentThread().isInterrupted());
        throw e;
      } finally {
        finished.countDown();
      }
      return "done";
    });
    Future<String> queued = pool.submit(() -> "queued");
    started.await();
    say("cancel.queued", queued.cancel(r.nextBoolean()) + " " + queued.isCancelled() + " " + queued.isDone());
    say("cancel.running", running.cancel(interrupt));
    say("cancel.again", running.cancel(true));
    say("state", running.isCancelled() + " " + running.isDone());
    say("get", call(running::get));
    say("get.timed", call(() -> running.get(1, TimeUnit.MILLISECONDS)));
    say("get.queued", call(queued::get));
    if (interrupt) {
      // the interrupt alone ends the task: a release racing with it could win while the task is
      // between queueing in await() and parking there (the JDK's own race, seen on JDK 25)
      finished.await();
    }
    release.countDown();
    pool.shutdown();
    say("terminated", pool.awaitTermination(20, TimeUnit.SECONDS));
    say("task.saw", taskSaw.get());

    ExecutorService other = Executors.newFixedThreadPool(1);
    Exception thrown = r.nextBoolean() ? new java.io.IOException("io " + r.nextInt(10))
        : new IllegalArgumentException("arg " + r.nextInt(10));
    Future<Object> failing = other.submit(() -> {
      throw thrown;
    });
    say("failing.get", call(failing::get));
    say("failing.causeIsTheSame", call(() -> {
      try {
        failing.get();
        return "no exception";
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause() == thrown;
      }
    }));
    CountDownLatch notYetStarted = new CountDownLatch(1);
    Future<?> notYet = other.submit(() -> {
      notYetStarted.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    notYetStarted.await();
    say("get.timeout", call(() -> notYet.get(1, TimeUnit.MILLISECONDS)));
    Thread.currentThread().interrupt();
    say("get.interrupted", call(notYet::get));
    say("shutdownNow", other.shutdownNow().size());
    say("terminated.other", other.awaitTermination(20, TimeUnit.SECONDS));
    say("notYet", notYet.isDone() + " " + notYet.isCancelled() + " " + call(notYet::get));

    FutureTask<String> ft = new FutureTask<>(() -> "ft" + r.nextInt(5));
    Thread t = start("ft", ft);
    join(t);
    say("futureTask", call(ft::get) + " " + stable(ft.toString()).replaceAll("\\[.*", ""));
  }

  static void scheduled(Random r) throws Exception {
    ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1);
    ses.setRemoveOnCancelPolicy(r.nextBoolean());
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    List<Object> handles = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      Task t = new Task("s" + i, ran);
      int how = r.nextInt(4);
      long hours = 1 + r.nextInt(3);
      ScheduledFuture<?> f = how == 0 ? ses.schedule((Runnable) t, hours, TimeUnit.HOURS)
          : how == 1 ? ses.schedule((Callable<String>) t, hours, TimeUnit.HOURS)
          : how == 2 ? ses.scheduleAtFixedRate(t, hours, 1, TimeUnit.HOURS)
          : ses.scheduleWithFixedDelay(t, hours, 1, TimeUnit.HOURS);
      handles.add(f);
      names.add("F(s" + i + ")");
      handles.add(t);
      names.add(t.name);
      say("schedule.s" + i, how + " " + f.getClass().getName() + " periodic="
          + (f instanceof java.util.concurrent.RunnableScheduledFuture && ((java.util.concurrent.RunnableScheduledFuture<?>) f).isPeriodic()));
    }
    say("queue", all(ses.getQueue(), handles, names));
    say("queue.type", ses.getQueue().getClass().getName());
    for (int i = 0; i < handles.size(); i += 2) {
      ScheduledFuture<?> f = (ScheduledFuture<?>) handles.get(i);
      int what = r.nextInt(4);
      if (what == 0) {
        say("cancel." + names.get(i), f.cancel(r.nextBoolean()) + " " + f.isCancelled() + " " + f.isDone());
      } else if (what == 1) {
        say("remove." + names.get(i), ses.remove((Runnable) f));
      } else if (what == 2) {
        say("remove.task." + names.get(i), ses.remove((Runnable) handles.get(i + 1)));
      }
      say("compare." + names.get(i), Integer.signum(f.compareTo((ScheduledFuture<?>) handles.get(0))));
    }
    say("queue.beforePurge", all(ses.getQueue(), handles, names));
    ses.purge();
    say("queue.afterPurge", all(ses.getQueue(), handles, names));
    List<Runnable> pending = ses.shutdownNow();
    say("shutdownNow", all(pending, handles, names));
    say("terminated", ses.awaitTermination(20, TimeUnit.SECONDS));
    say("ran", ran);

    ScheduledThreadPoolExecutor runs = new ScheduledThreadPoolExecutor(1 + r.nextInt(2));
    int k = 1 + r.nextInt(3);
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(k);
    ScheduledFuture<?> rate = runs.scheduleAtFixedRate(() -> {
      ticks.incrementAndGet();
      enough.countDown();
    }, 0, 1, TimeUnit.MILLISECONDS);
    enough.await();
    say("fixedRate.cancel", rate.cancel(r.nextBoolean()) + " " + rate.isCancelled() + " " + rate.isDone());
    say("fixedRate.get", call(rate::get));
    AtomicInteger failingRuns = new AtomicInteger();
    int failAt = 1 + r.nextInt(3);
    ScheduledFuture<?> failing = runs.scheduleWithFixedDelay(() -> {
      if (failingRuns.incrementAndGet() == failAt) {
        throw new IllegalStateException("tick " + failAt);
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    say("periodic.failure", call(failing::get));
    say("periodic.runs", failingRuns.get() + " done=" + failing.isDone() + " cancelled=" + failing.isCancelled());
    ScheduledFuture<String> soon = runs.schedule(() -> "soon" + failAt, 1, TimeUnit.MILLISECONDS);
    say("schedule.get", call(soon::get));
    ScheduledFuture<String> afterShutdown = runs.schedule(() -> "delayed-after-shutdown", 2, TimeUnit.MILLISECONDS);
    runs.shutdown();
    say("schedule.afterShutdown", call(() -> runs.schedule(() -> "x", 1, TimeUnit.MILLISECONDS))
        .replaceAll("\\[(Shutting down|Terminated).*", "[...]"));
    say("delayedRunsAfterShutdown", call(afterShutdown::get));
    say("terminated.runs", runs.awaitTermination(20, TimeUnit.SECONDS));
  }

  static final class Sum extends RecursiveTask<Long> {
    final int[] a;
    final int from;
    final int to;
    final int failAt;

    Sum(int[] a, int from, int to, int failAt) {
      this.a = a;
      this.from = from;
      this.to = to;
      this.failAt = failAt;
    }

    @Override
    protected Long compute() {
      if (to - from <= 4) {
        long s = 0;
        for (int i = from; i < to; i++) {
          if (i == failAt) {
            throw new ArithmeticException("element " + i);
          }
          s += a[i];
        }
        return s;
      }
      int mid = (from + to) >>> 1;
      Sum left = new Sum(a, from, mid, failAt);
      Sum right = new Sum(a, mid, to, failAt);
      left.fork();
      long r = right.compute();
      return r + left.join();
    }
  }

  static void forkJoin(Random r) throws Exception {
    ForkJoinPool fj = new ForkJoinPool(1 + r.nextInt(2));
    int[] a = new int[1 + r.nextInt(64)];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextInt(1000);
    }
    int failAt = r.nextInt(3) == 0 ? r.nextInt(a.length) : -1;
    say("size", a.length + " failAt=" + failAt);
    say("invoke", callType(() -> fj.invoke(new Sum(a, 0, a.length, failAt))));
    ForkJoinTask<Long> submitted = fj.submit(new Sum(a, 0, a.length, failAt));
    say("submit.get", callType(submitted::get));
    say("submit.state", submitted.isDone() + " " + submitted.isCompletedNormally() + " "
        + submitted.isCompletedAbnormally() + " " + (submitted.getException() == null ? null
        : submitted.getException().getClass().getName()));
    say("submit.join", callType(submitted::join));
    say("submit.callable", call(() -> fj.submit(() -> "called" + a.length).get()));
    CountDownLatch ran = new CountDownLatch(1);
    fj.execute(ran::countDown);
    say("execute", ran.await(20, TimeUnit.SECONDS));
    AtomicInteger actions = new AtomicInteger();
    fj.invoke(new RecursiveAction() {
      @Override
      protected void compute() {
        invokeAll(ForkJoinTask.adapt(actions::incrementAndGet), ForkJoinTask.adapt(actions::incrementAndGet));
      }
    });
    say("action", actions.get());
    List<Callable<Integer>> list = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      final int k = i;
      list.add(() -> k * a.length);
    }
    List<Integer> results = new ArrayList<>();
    for (Future<Integer> f : fj.invokeAll(list)) {
      results.add(f.get());
    }
    say("invokeAll", results);
    ForkJoinTask<String> never = ForkJoinTask.adapt(() -> "x");
    say("cancel.unforked", never.cancel(true) + " " + never.isCancelled() + " " + callType(never::join));
    say("common", call(() -> ForkJoinPool.commonPool().submit(() -> a.length).get()));
    say("shutdownNow", fj.shutdownNow());
    say("terminated", fj.awaitTermination(20, TimeUnit.SECONDS));
    say("afterShutdown", call(() -> fj.submit(() -> 1)).replaceAll(":.*", ""));
  }

  static void completableFuture(Random r) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1 + r.nextInt(2));
    ForkJoinPool fj = new ForkJoinPool(1);
    int x = r.nextInt(100);
    boolean fail = r.nextBoolean();
    CompletableFuture<Integer> start = r.nextBoolean() ? CompletableFuture.supplyAsync(() -> x, pool)
        : r.nextBoolean() ? CompletableFuture.supplyAsync(() -> x, fj) : CompletableFuture.completedFuture(x);
    CompletableFuture<Integer> f = start;
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(5); i++) {
      int op = r.nextInt(8);
      ops.add(String.valueOf(op));
      final int step = i;
      switch (op) {
        case 0: f = f.thenApply(v -> v + 1); break;
        case 1: f = f.thenApplyAsync(v -> v * 2, pool); break;
        case 2: f = f.thenCompose(v -> CompletableFuture.supplyAsync(() -> v + 3, fj)); break;
        case 3: f = f.thenApply(v -> {
          if (fail) {
            throw new IllegalStateException("stage " + step + " value " + v);
          }
          return v;
        });
          break;
        case 4: f = f.exceptionally(e -> -1); break;
        case 5: f = f.handleAsync((v, e) -> e == null ? v : -2, pool); break;
        case 6: f = f.thenCombine(CompletableFuture.completedFuture(10), Integer::sum); break;
        default: f = f.whenComplete((v, e) -> { }); break;
      }
    }
    final CompletableFuture<Integer> end = f;
    say("ops", ops);
    say("join", call(end::join, false));
    say("get", call(end::get, false));
    say("state", end.isDone() + " " + end.isCompletedExceptionally() + " " + end.isCancelled());
    say("getNow", call(() -> end.getNow(-9), false));

    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> dependent = pending.thenApply(s -> s + "!");
    int how = r.nextInt(4);
    if (how == 0) {
      say("cancel", pending.cancel(true));
    } else if (how == 1) {
      say("completeExceptionally", pending.completeExceptionally(new UnsupportedOperationException("no " + x)));
    } else if (how == 2) {
      say("complete", pending.complete("v" + x) + " again=" + pending.complete("w"));
    } else {
      say("orTimeout", call(() -> pending.orTimeout(1, TimeUnit.MILLISECONDS).join(), false));
    }
    say("pending.get", call(pending::get, false));
    say("pending.join", call(pending::join, false));
    say("pending.state", pending.isDone() + " " + pending.isCompletedExceptionally() + " " + pending.isCancelled());
    say("dependent.join", call(dependent::join, false));
    say("completeOnTimeout", new CompletableFuture<String>().completeOnTimeout("dflt", 1, TimeUnit.MILLISECONDS).join());
    say("getTimeout", call(() -> new CompletableFuture<String>().get(1, TimeUnit.MILLISECONDS), false));
    Thread.currentThread().interrupt();
    say("get.interrupted", call(() -> new CompletableFuture<String>().get(), false));
    say("allOf", call(() -> CompletableFuture.allOf(CompletableFuture.completedFuture(1), end).join(), false));
    say("anyOf", call(() -> CompletableFuture.anyOf(CompletableFuture.completedFuture("first"), pending).join(), false));
    say("runAsync", call(() -> CompletableFuture.runAsync(() -> { }, pool).thenApply(v -> "ran").get()));
    pool.shutdown();
    fj.shutdown();
    say("terminated", pool.awaitTermination(20, TimeUnit.SECONDS) && fj.awaitTermination(20, TimeUnit.SECONDS));
  }

  // ---------------------------------------------------------------------------------------------
  // queues

  static final class Later implements Delayed {
    final int id;
    final long at;

    /** A fixed trigger time: in the past when {@code ready}, hours away otherwise. */
    Later(int id, boolean ready, long base) {
      this.id = id;
      this.at = ready ? base - TimeUnit.HOURS.toNanos(1) + id : base + TimeUnit.HOURS.toNanos(2) + id;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(at, ((Later) o).at);
    }

    @Override
    public String toString() {
      return "L" + id;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Queue<Object> newQueue(int kind, int cap) {
    switch (kind) {
      case 0: return new ArrayBlockingQueue<>(cap);
      case 1: return new LinkedBlockingQueue<>(cap);
      case 2: return new LinkedBlockingDeque<>(cap);
      case 3: return new PriorityBlockingQueue<>();
      case 4: return (Queue) new DelayQueue<Later>();
      case 5: return new LinkedTransferQueue<>();
      case 6: return new ConcurrentLinkedQueue<>();
      case 7: return new ConcurrentLinkedDeque<>();
      case 8: return new ArrayDeque<>();
      default: return new SynchronousQueue<>();
    }
  }

  static final int QUEUE_KINDS = 10;

  /** Random single-threaded operation sequences on every queue kind: each result printed. */
  @SuppressWarnings("unchecked")
  static void queues(Random r) throws Exception {
    long base = System.nanoTime();
    for (int kind = 0; kind < QUEUE_KINDS; kind++) {
      int cap = 1 + r.nextInt(4);
      Queue<Object> q = newQueue(kind, cap);
      String p = q.getClass().getSimpleName() + ".";
      List<String> results = new ArrayList<>();
      int ops = 6 + r.nextInt(14);
      for (int i = 0; i < ops; i++) {
        Object e = kind == 4 ? new Later(r.nextInt(50), r.nextBoolean(), base) : (Object) Integer.valueOf(r.nextInt(20));
        int op = r.nextInt(q instanceof Deque ? 22 : 14);
        String res;
        switch (op) {
          case 0: res = "offer " + e + "=" + call(() -> q.offer(e)); break;
          case 1: res = "add " + e + "=" + call(() -> q.add(e)); break;
          case 2: res = "poll=" + call(q::poll); break;
          case 3: res = "peek=" + call(q::peek); break;
          case 4: res = "remove=" + call(q::remove); break;
          case 5: res = "element=" + call(q::element); break;
          case 6: res = "size=" + q.size() + " empty=" + q.isEmpty() + " str=" + stable(q); break;
          case 7: res = "contains " + e + "=" + q.contains(e) + " removeObj=" + call(() -> q.remove(e)); break;
          case 8: res = "offer.null=" + call(() -> q.offer(null)); break;
          case 9: res = "toArray=" + Arrays.toString(q.toArray()); break;
          case 10: {
            List<Object> it = new ArrayList<>();
            Iterator<Object> iter = q.iterator();
            while (iter.hasNext()) {
              it.add(iter.next());
            }
            res = "iterate=" + it + " next.empty=" + call(iter::next);
            break;
          }
          case 11: {
            if (q instanceof BlockingQueue) {
              BlockingQueue<Object> b = (BlockingQueue<Object>) q;
              List<Object> to = new ArrayList<>();
              int max = r.nextInt(3);
              res = "drainTo " + max + "=" + call(() -> b.drainTo(to, max)) + to + " remaining=" + b.remainingCapacity()
                  + " self=" + call(() -> b.drainTo(b));
            } else {
              res = "addAll=" + call(() -> q.addAll(Arrays.asList(e, e)));
            }
            break;
          }
          case 12: {
            if (q instanceof BlockingQueue) {
              BlockingQueue<Object> b = (BlockingQueue<Object>) q;
              res = "offer.timed " + e + "=" + call(() -> b.offer(e, 1, TimeUnit.MILLISECONDS))
                  + " poll.timed=" + call(() -> b.poll(1, TimeUnit.MILLISECONDS));
            } else {
              res = "clear";
              q.clear();
            }
            break;
          }
          case 13: res = "removeIf=" + call(() -> q.removeIf(x -> x.toString().hashCode() % 3 == 0)) + " str=" + stable(q); break;
          default: {
            Deque<Object> d = (Deque<Object>) q;
            switch (op) {
              case 14: res = "offerFirst " + e + "=" + call(() -> d.offerFirst(e)); break;
              case 15: res = "push " + e + "=" + call(() -> {
                d.push(e);
                return "ok";
              });
                break;
              case 16: res = "pollLast=" + call(d::pollLast); break;
              case 17: res = "pop=" + call(d::pop); break;
              case 18: res = "peekLast=" + call(d::peekLast) + " getFirst=" + call(d::getFirst); break;
              case 19: res = "removeLastOccurrence " + e + "=" + call(() -> d.removeLastOccurrence(e)); break;
              case 20: {
                List<Object> it = new ArrayList<>();
                d.descendingIterator().forEachRemaining(it::add);
                res = "descending=" + it;
                break;
              }
              default: res = "removeLast=" + call(d::removeLast); break;
            }
          }
        }
        results.add(res);
      }
      say(p + "ops", results);
      say(p + "end", stable(q) + " size=" + q.size());
    }
  }

  /** Blocking, timed and interrupted operations of every blocking queue kind. */
  @SuppressWarnings("unchecked")
  static void blockingQueues(Random r) throws Exception {
    long base = System.nanoTime();
    for (int kind : new int[] {0, 1, 2, 3, 4, 5, 9}) {
      BlockingQueue<Object> q = (BlockingQueue<Object>) (Queue<?>) newQueue(kind, 1 + r.nextInt(2));
      String p = q.getClass().getSimpleName() + ".";
      Object e = kind == 4 ? new Later(1, true, base) : (Object) ("e" + r.nextInt(9));
      Object notReady = kind == 4 ? new Later(2, false, base) : (Object) "n";
      say(p + "poll.timed.empty", call(() -> q.poll(1, TimeUnit.MILLISECONDS)));
      if (kind == 4 && r.nextBoolean()) {
        say(p + "offer.notReady", call(() -> q.offer(notReady)));
        say(p + "poll.notReady", call(() -> q.poll(1, TimeUnit.MILLISECONDS)) + " size=" + q.size());
        say(p + "peek.notReady", call(q::peek));
      }
      boolean fill = r.nextBoolean();
      if (fill) {
        while (q.offer(e)) {
          if (q.remainingCapacity() == Integer.MAX_VALUE) {
            break;
          }
        }
      }
      say(p + "offer.timed", call(() -> q.offer(e, 1, TimeUnit.MILLISECONDS)) + " size=" + q.size());
      int which = r.nextInt(6);
      Thread.currentThread().interrupt();
      say(p + "interrupted." + which, call(() -> {
        switch (which) {
          case 0: q.put(e); return "put";
          case 1: return q.take();
          case 2: return q.poll(1, TimeUnit.MILLISECONDS);
          case 3: return q.offer(e, 1, TimeUnit.MILLISECONDS);
          case 4: return q.poll();
          default: return q.offer(e);
        }
      }));
      say(p + "size", q.size() + " " + (kind == 4 ? "" : q));
      if (q instanceof BlockingDeque) {
        BlockingDeque<Object> d = (BlockingDeque<Object>) q;
        say(p + "offerFirst.timed", call(() -> d.offerFirst("f", 1, TimeUnit.MILLISECONDS)));
        say(p + "pollLast.timed", call(() -> d.pollLast(1, TimeUnit.MILLISECONDS)));
        say(p + "takeFirst", d.isEmpty() ? "empty" : call(d::takeFirst));
        Thread.currentThread().interrupt();
        say(p + "takeLast.interrupted", call(d::takeLast));
      }
      // a consumer blocked in take() gets what is put, or the interrupt
      q.clear();
      AtomicReference<String> got = new AtomicReference<>();
      Thread consumer = start("consumer", () -> got.set(call(q::take)));
      until(() -> parked(consumer));
      boolean interrupt = r.nextBoolean();
      if (interrupt) {
        consumer.interrupt();
      } else {
        say(p + "put", call(() -> {
          q.put(e);
          return "put";
        }));
      }
      join(consumer);
      say(p + "consumer", got.get());
      q.clear();
    }
  }

  /** SynchronousQueue and LinkedTransferQueue hand-offs between two threads, Exchanger-free. */
  static void handOffQueues(Random r) throws Exception {
    SynchronousQueue<String> sync = new SynchronousQueue<>(r.nextBoolean());
    say("sync.offer.noTaker", sync.offer("x"));
    say("sync.poll.noGiver", sync.poll());
    say("sync.state", sync.size() + " " + sync.isEmpty() + " " + sync.remainingCapacity() + " " + sync.peek());
    String v = "v" + r.nextInt(100);
    Thread giver = start("giver", () -> call(() -> {
      sync.put(v);
      return null;
    }));
    say("sync.take", sync.take());
    join(giver);
    AtomicReference<String> taken = new AtomicReference<>();
    Thread taker = start("taker", () -> taken.set(call(sync::take)));
    // a parked thread may not be in take() yet (it may be linking a call site): offer until taken
    until(() -> parked(taker) && sync.offer(v));
    join(taker);
    say("sync.taken", taken.get());

    LinkedTransferQueue<String> ltq = new LinkedTransferQueue<>();
    say("ltq.tryTransfer.none", ltq.tryTransfer("a"));
    say("ltq.tryTransfer.timed", call(() -> ltq.tryTransfer("b", 1, TimeUnit.MILLISECONDS)) + " size=" + ltq.size());
    say("ltq.waiting", ltq.hasWaitingConsumer() + " " + ltq.getWaitingConsumerCount());
    AtomicReference<String> consumed = new AtomicReference<>();
    Thread consumer = start("ltq-consumer", () -> consumed.set(call(ltq::take)));
    until(ltq::hasWaitingConsumer);
    say("ltq.waiting.one", ltq.getWaitingConsumerCount());
    if (r.nextBoolean()) {
      say("ltq.transfer", call(() -> {
        ltq.transfer(v);
        return "transferred";
      }));
    } else {
      say("ltq.tryTransfer.consumer", ltq.tryTransfer(v));
    }
    join(consumer);
    say("ltq.consumed", consumed.get());
    Thread.currentThread().interrupt();
    say("ltq.transfer.interrupted", call(() -> {
      ltq.transfer("never");
      return "transferred";
    }) + " size=" + ltq.size());
  }

  // ---------------------------------------------------------------------------------------------
  // synchronizers

  static void latch(Random r) throws Exception {
    int n = 1 + r.nextInt(4);
    CountDownLatch l = new CountDownLatch(n);
    say("await.timeout", l.await(1, TimeUnit.MILLISECONDS) + " count=" + l.getCount());
    Thread.currentThread().interrupt();
    say("await.interrupted", call(() -> {
      l.await();
      return "returned";
    }));
    Thread.currentThread().interrupt();
    say("await.timed.interrupted", call(() -> l.await(1, TimeUnit.MILLISECONDS)));
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(start("down" + i, l::countDown));
    }
    say("await", call(() -> {
      l.await();
      return "open";
    }) + " count=" + l.getCount() + " " + stable(l));
    for (Thread t : threads) {
      join(t);
    }
    l.countDown();
    say("countDown.atZero", l.getCount());
    Thread.currentThread().interrupt();
    say("await.open.interrupted", call(() -> l.await(1, TimeUnit.MILLISECONDS)));
    say("negative", call(() -> new CountDownLatch(-1)));
  }

  static void barrier(Random r) throws Exception {
    int parties = 2 + r.nextInt(3);
    AtomicInteger actions = new AtomicInteger();
    CyclicBarrier b = new CyclicBarrier(parties, actions::incrementAndGet);
    List<String> indexes = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < parties - 1; i++) {
      threads.add(start("party" + i, () -> indexes.add(call(b::await))));
    }
    indexes.add(call(() -> b.await(20, TimeUnit.SECONDS)));
    for (Thread t : threads) {
      join(t);
    }
    say("trip", new TreeSet<>(indexes) + " actions=" + actions.get() + " broken=" + b.isBroken());
    // broken: one party waits, another times out or is interrupted, or the barrier is reset
    CyclicBarrier b2 = new CyclicBarrier(parties + 1);
    List<String> waiter = Collections.synchronizedList(new ArrayList<>());
    Thread w = start("waiter", () -> waiter.add(call(b2::await)));
    until(() -> b2.getNumberWaiting() == 1);
    int how = r.nextInt(3);
    if (how == 0) {
      say("timeout", call(() -> b2.await(1, TimeUnit.MILLISECONDS)));
    } else if (how == 1) {
      w.interrupt();
    } else {
      b2.reset();
    }
    join(w);
    say("waiter." + how, waiter);
    say("broken", b2.isBroken() + " waiting=" + b2.getNumberWaiting());
    say("await.broken", b2.isBroken() ? call(b2::await) : "not broken");
    b.reset();
    say("reset", b.isBroken() + " parties=" + b.getParties());
    Thread.currentThread().interrupt();
    say("await.interrupted", call(b::await) + " broken=" + b.isBroken());
    b.reset();
    CyclicBarrier throwing = new CyclicBarrier(1, () -> {
      throw new IllegalStateException("action " + parties);
    });
    say("action.throws", call(throwing::await) + " broken=" + throwing.isBroken());
  }

  static void phaser(Random r) throws Exception {
    int parties = 1 + r.nextInt(3);
    int phases = 1 + r.nextInt(3);
    Phaser ph = new Phaser(parties + 1) {
      @Override
      protected boolean onAdvance(int phase, int registered) {
        return phase + 1 >= phases || registered == 0;
      }
    };
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < parties; i++) {
      final int k = i;
      threads.add(start("phase" + i, () -> {
        for (int p = 0; p < phases; p++) {
          int next = ph.arriveAndAwaitAdvance();
          // on the terminating advance the last to arrive gets the next phase, the others a negative one
          seen.add(k + ":" + p + "->" + (p == phases - 1 ? "end" : String.valueOf(next)));
        }
      }));
    }
    List<String> mine = new ArrayList<>();
    for (int p = 0; p < phases; p++) {
      int next = ph.arriveAndAwaitAdvance();
      mine.add(p == phases - 1 ? "end" : String.valueOf(next));
    }
    for (Thread t : threads) {
      join(t);
    }
    Collections.sort(seen);
    say("phases", mine + " " + seen);
    say("terminated", ph.isTerminated() + " phase<0=" + (ph.getPhase() < 0) + " registered=" + ph.getRegisteredParties());
    Phaser p2 = new Phaser(2);
    say("arrive", p2.arrive() + " unarrived=" + p2.getUnarrivedParties());
    say("awaitAdvance.timeout", call(() -> p2.awaitAdvanceInterruptibly(0, 1, TimeUnit.MILLISECONDS)));
    Thread.currentThread().interrupt();
    say("awaitAdvance.interrupted", call(() -> p2.awaitAdvanceInterruptibly(0)));
    say("awaitAdvance.otherPhase", p2.awaitAdvance(5));
    say("arriveAndDeregister", p2.arriveAndDeregister() + " phase=" + p2.getPhase() + " registered=" + p2.getRegisteredParties());
    say("bulkRegister", p2.bulkRegister(2) + " " + p2.getRegisteredParties());
    say("register.negative", call(() -> p2.bulkRegister(-1)));
    p2.forceTermination();
    say("forceTermination", p2.isTerminated() + " arrive<0=" + (p2.arrive() < 0));
    say("arrive.unregistered", call(() -> new Phaser().arrive()));
  }

  static void exchanger(Random r) throws Exception {
    Exchanger<String> x = new Exchanger<>();
    String mine = "m" + r.nextInt(100);
    AtomicReference<String> theirs = new AtomicReference<>();
    Thread t = start("exchange", () -> theirs.set(call(() -> x.exchange("t" + mine))));
    say("exchange", r.nextBoolean() ? x.exchange(mine) : x.exchange(mine, 20, TimeUnit.SECONDS));
    join(t);
    say("other", theirs.get());
    say("timeout", call(() -> x.exchange(mine, 1, TimeUnit.MILLISECONDS)));
    Thread.currentThread().interrupt();
    say("interrupted", call(() -> x.exchange(mine)));
    AtomicReference<String> waiting = new AtomicReference<>();
    Thread w = start("exchange-wait", () -> waiting.set(call(() -> x.exchange("w"))));
    until(() -> parked(w));
    w.interrupt();
    join(w);
    say("waiter.interrupted", waiting.get());
  }

  static void semaphore(Random r) throws Exception {
    int permits = r.nextInt(4);
    Semaphore s = new Semaphore(permits, r.nextBoolean());
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = 1 + r.nextInt(2);
      switch (r.nextInt(7)) {
        case 0: ops.add("tryAcquire=" + s.tryAcquire()); break;
        case 1: ops.add("tryAcquire" + n + "=" + s.tryAcquire(n)); break;
        case 2: ops.add("tryAcquire.timed" + n + "=" + call(() -> s.tryAcquire(n, 1, TimeUnit.MILLISECONDS))); break;
        case 3: s.release(n); ops.add("release" + n); break;
        case 4: ops.add("drain=" + s.drainPermits()); break;
        case 5: {
          Thread.currentThread().interrupt();
          ops.add("acquire.interrupted=" + call(() -> {
            s.acquire();
            return "acquired";
          }));
          break;
        }
        default: {
          if (s.availablePermits() > 0) {
            Thread.currentThread().interrupt();
            s.acquireUninterruptibly();
            ops.add("acquireUninterruptibly interrupted=" + Thread.interrupted());
          }
          break;
        }
      }
      ops.add("available=" + s.availablePermits());
    }
    say("ops", ops);
    say("release.negative", call(() -> {
      s.release(-1);
      return "ok";
    }));
    say("toString", stable(s));
    s.drainPermits();
    AtomicReference<String> waiter = new AtomicReference<>();
    Thread t = start("acquirer", () -> waiter.set(call(() -> {
      s.acquire(2);
      return "acquired";
    })));
    until(s::hasQueuedThreads);
    say("queued", s.getQueueLength());
    boolean interrupt = r.nextBoolean();
    if (interrupt) {
      t.interrupt();
    } else {
      s.release(2);
    }
    join(t);
    say("waiter", waiter.get() + " available=" + s.availablePermits());
  }

  static void locks(Random r) throws Exception {
    ReentrantLock lock = new ReentrantLock(r.nextBoolean());
    int depth = 1 + r.nextInt(3);
    for (int i = 0; i < depth; i++) {
      lock.lock();
    }
    say("held", lock.isHeldByCurrentThread() + " holds=" + lock.getHoldCount() + " locked=" + lock.isLocked());
    AtomicReference<String> other = new AtomicReference<>();
    Thread t = start("other", () -> other.set(call(lock::tryLock) + " " + call(() -> lock.tryLock(1, TimeUnit.MILLISECONDS))));
    join(t);
    say("other.tryLock", other.get());
    Thread blocked = start("blocked", () -> call(() -> {
      lock.lockInterruptibly();
      lock.unlock();
      return null;
    }));
    until(lock::hasQueuedThreads);
    say("queued", lock.getQueueLength() + " " + lock.hasQueuedThread(blocked));
    blocked.interrupt();
    join(blocked);
    for (int i = 0; i < depth; i++) {
      lock.unlock();
    }
    say("unlock.notHeld", call(() -> {
      lock.unlock();
      return "ok";
    }));
    Thread.currentThread().interrupt();
    say("lockInterruptibly.interrupted", call(() -> {
      lock.lockInterruptibly();
      lock.unlock();
      return "locked";
    }));
    Thread.currentThread().interrupt();
    lock.lock();
    say("lock.keepsInterrupt", Thread.interrupted() + " " + lock.isHeldByCurrentThread());
    lock.unlock();
    Thread.currentThread().interrupt();
    say("tryLock.timed.interrupted", call(() -> lock.tryLock(1, TimeUnit.MILLISECONDS)));
    say("toString", stable(lock));

    ReentrantReadWriteLock rw = new ReentrantReadWriteLock(r.nextBoolean());
    int reads = 1 + r.nextInt(2);
    for (int i = 0; i < reads; i++) {
      rw.readLock().lock();
    }
    say("rw.read", rw.getReadLockCount() + " " + rw.getReadHoldCount() + " tryWrite=" + rw.writeLock().tryLock());
    AtomicReference<String> reader = new AtomicReference<>();
    t = start("reader", () -> {
      boolean got = rw.readLock().tryLock();
      reader.set(got + " write=" + call(() -> rw.writeLock().tryLock(1, TimeUnit.MILLISECONDS)));
      if (got) {
        rw.readLock().unlock();
      }
    });
    join(t);
    say("rw.otherThread", reader.get());
    for (int i = 0; i < reads; i++) {
      rw.readLock().unlock();
    }
    rw.writeLock().lock();
    rw.readLock().lock();
    rw.writeLock().unlock();
    say("rw.downgraded", rw.isWriteLocked() + " reads=" + rw.getReadLockCount());
    rw.readLock().unlock();
    say("rw.unlockRead.notHeld", call(() -> {
      rw.readLock().unlock();
      return "ok";
    }));
    say("rw.newCondition.read", call(() -> rw.readLock().newCondition()));

    StampedLock sl = new StampedLock();
    long optimistic = sl.tryOptimisticRead();
    say("stamped.optimistic", (optimistic != 0) + " valid=" + sl.validate(optimistic));
    long w = sl.writeLock();
    say("stamped.write", sl.isWriteLocked() + " optimisticValid=" + sl.validate(optimistic)
        + " tryRead=" + (sl.tryReadLock() != 0) + " optimisticNow=" + (sl.tryOptimisticRead() != 0));
    long read = sl.tryConvertToReadLock(w);
    say("stamped.convertToRead", (read != 0) + " readCount=" + sl.getReadLockCount());
    say("stamped.unlockWrite.bad", call(() -> {
      sl.unlockWrite(read);
      return "ok";
    }));
    sl.unlockRead(read);
    say("stamped.unlocked", sl.isReadLocked() + " " + sl.isWriteLocked());
    Lock asRead = sl.asReadLock();
    asRead.lock();
    say("stamped.asReadLock", sl.isReadLocked() + " newCondition=" + call(asRead::newCondition));
    asRead.unlock();
    Thread.currentThread().interrupt();
    say("stamped.readLockInterruptibly.interrupted", call(() -> {
      long s = sl.readLockInterruptibly();
      sl.unlockRead(s);
      return "locked";
    }));
  }

  static void conditions(Random r) throws Exception {
    ReentrantLock lock = new ReentrantLock(r.nextBoolean());
    Condition c = lock.newCondition();
    lock.lock();
    try {
      say("await.timeout", c.await(1, TimeUnit.MILLISECONDS));
      say("awaitNanos.timeout", c.awaitNanos(1_000_000) <= 0);
      say("awaitUntil.past", c.awaitUntil(new java.util.Date(System.currentTimeMillis() - 1000)));
      Thread.currentThread().interrupt();
      say("await.interrupted", call(() -> {
        c.await();
        return "returned";
      }) + " held=" + lock.isHeldByCurrentThread());
      Thread.currentThread().interrupt();
      say("awaitNanos.interrupted", call(() -> c.awaitNanos(1_000_000) <= 0) + " held=" + lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
    say("signal.notHeld", call(() -> {
      c.signal();
      return "ok";
    }));
    say("await.notHeld", call(() -> c.await(1, TimeUnit.MILLISECONDS)));
    int waiters = 1 + r.nextInt(3);
    List<String> woke = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    int how = r.nextInt(3);
    for (int i = 0; i < waiters; i++) {
      final int k = i;
      threads.add(start("cond" + i, () -> {
        lock.lock();
        try {
          if (how == 2) {
            c.awaitUninterruptibly();
            woke.add(k + ":uninterruptibly interrupted=" + Thread.interrupted());
          } else {
            woke.add(k + ":" + call(() -> c.awaitNanos(TimeUnit.SECONDS.toNanos(20)) > 0));
          }
        } finally {
          lock.unlock();
        }
      }));
    }
    until(() -> {
      lock.lock();
      try {
        return lock.getWaitQueueLength(c) == waiters;
      } finally {
        lock.unlock();
      }
    });
    if (how == 1) {
      for (Thread t : threads) {
        t.interrupt();
      }
    } else {
      if (how == 2) {
        threads.get(0).interrupt();
        until(() -> threads.get(0).getState() == Thread.State.WAITING);
      }
      lock.lock();
      try {
        if (r.nextBoolean()) {
          c.signalAll();
        } else {
          for (int i = 0; i < waiters; i++) {
            c.signal();
          }
        }
      } finally {
        lock.unlock();
      }
    }
    for (Thread t : threads) {
      join(t);
    }
    Collections.sort(woke);
    say("woke." + how, woke);
  }

  static void monitors(Random r) throws Exception {
    Object m = new Object();
    say("wait.notOwner", call(() -> {
      m.wait(1);
      return "ok";
    }));
    say("notify.notOwner", call(() -> {
      m.notify();
      return "ok";
    }));
    synchronized (m) {
      say("wait.timeout", call(() -> {
        m.wait(1);
        return "returned";
      }));
      say("wait.negative", call(() -> {
        m.wait(-1);
        return "returned";
      }));
      Thread.currentThread().interrupt();
      say("wait.interrupted", call(() -> {
        m.wait();
        return "returned";
      }) + " holds=" + Thread.holdsLock(m));
      say("notify.noWaiter", call(() -> {
        m.notifyAll();
        return "ok";
      }));
    }
    int waiters = 1 + r.nextInt(3);
    boolean[] go = {false};
    List<String> woke = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      final int k = i;
      threads.add(start("waiter" + i, () -> {
        synchronized (m) {
          woke.add(k + ":" + call(() -> {
            while (!go[0]) {
              m.wait();
            }
            return "notified";
          }) + " holds=" + Thread.holdsLock(m));
        }
      }));
    }
    for (Thread t : threads) {
      until(() -> t.getState() == Thread.State.WAITING);
    }
    if (r.nextBoolean()) {
      threads.get(0).interrupt();
      join(threads.get(0));
    }
    synchronized (m) {
      go[0] = true;
      if (r.nextBoolean()) {
        m.notifyAll();
      } else {
        for (int i = 0; i < waiters; i++) {
          m.notify();
        }
      }
    }
    for (Thread t : threads) {
      join(t);
    }
    Collections.sort(woke);
    say("woke", woke);
    Thread sleeper = start("sleeper", () -> woke.add("sleep:" + call(() -> {
      Thread.sleep(TimeUnit.SECONDS.toMillis(20));
      return "slept";
    })));
    until(() -> sleeper.getState() == Thread.State.TIMED_WAITING);
    sleeper.interrupt();
    join(sleeper);
    say("sleep.interrupted", woke.get(woke.size() - 1));
    Thread.currentThread().interrupt();
    say("sleep.withFlag", call(() -> {
      Thread.sleep(0);
      return "slept";
    }));
    Thread.currentThread().interrupt();
    say("join.withFlag", call(() -> {
      sleeper.join(1);
      return "joined";
    }));
  }

  static void virtualThreads(Random r) throws Exception {
    if (Runtime.version().feature() < 21) {
      say("skipped", "virtual threads need JDK 21+, this is " + Runtime.version().feature());
      return;
    }
    ExecutorService vt = VirtualThreads.perTaskExecutor();
    int n = 1 + r.nextInt(4);
    List<Future<String>> fs = new ArrayList<>();
    LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
    ReentrantLock lock = new ReentrantLock();
    Object monitor = new Object();
    for (int i = 0; i < n; i++) {
      final int k = i;
      fs.add(vt.submit(() -> {
        q.put("from" + k);
        lock.lock();
        try {
          synchronized (monitor) {
            monitor.wait(1);
          }
        } finally {
          lock.unlock();
        }
        return "v" + k + " virtual=" + DifferentialProgram.isVirtual();
      }));
    }
    List<String> results = new ArrayList<>();
    for (Future<String> f : fs) {
      results.add(call(f::get));
    }
    say("results", results);
    List<String> drained = new ArrayList<>();
    q.drainTo(drained);
    Collections.sort(drained);
    say("queue", drained);
    Future<String> blocked = vt.submit(() -> {
      new CountDownLatch(1).await();
      return "never";
    });
    say("cancel", blocked.cancel(true) + " " + call(blocked::get));
    Future<Object> failing = vt.submit(() -> {
      throw new IllegalStateException("virtual " + n);
    });
    say("failing", call(failing::get));
    AtomicReference<String> took = new AtomicReference<>();
    Thread t = VirtualThreads.factory().newThread(() -> took.set(call(q::take)));
    t.start();
    until(() -> parked(t));
    t.interrupt();
    t.join(20_000);
    say("take.interrupted", took.get());
    vt.shutdown();
    say("terminated", vt.awaitTermination(20, TimeUnit.SECONDS));
    say("afterShutdown", call(() -> vt.submit(() -> 1)).replaceAll(":.*", ""));
  }

  static boolean isVirtual() {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    } catch (ReflectiveOperationException ex) {
      return false;
    }
  }

  private DifferentialProgram() {}
}
