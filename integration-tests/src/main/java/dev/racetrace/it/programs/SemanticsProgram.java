package dev.racetrace.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls every instrumented API the way applications do, including the edge cases (full queues,
 * timeouts, interrupts, exceptions, rejected tasks, illegal monitor states), and prints one
 * deterministic line per observation. Run with and without the agent, the output must be equal.
 */
public final class SemanticsProgram {
  private static final List<String> out = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    queues();
    deques();
    executors();
    scheduling();
    completableFutures();
    wrappingIsInvisible();
    latchesAndSemaphores();
    barriersAndPhasers();
    locksAndConditions();
    monitors();
    futuresAndSleep();
    applicationQueueType();
    out.forEach(System.out::println);
  }

  static void say(String name, Object value) {
    out.add(name + "=" + value);
  }

  static String thrown(Runnable r) {
    try {
      r.run();
      return "none";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ":" + e.getMessage());
    }
  }

  interface Blocking {
    void run() throws Exception;
  }

  static String thrownChecked(Blocking r) {
    try {
      r.run();
      return "none";
    } catch (Exception e) {
      Throwable c = e instanceof ExecutionException ? e.getCause() : null;
      return e.getClass().getSimpleName() + (c != null ? "<-" + c.getClass().getSimpleName() + ":" + c.getMessage() : "")
          + " interrupted=" + Thread.currentThread().isInterrupted();
    }
  }

  static void queues() throws Exception {
    BlockingQueue<String> full = new ArrayBlockingQueue<>(1);
    say("abq.offer.first", full.offer("a"));
    say("abq.offer.full", full.offer("b"));
    say("abq.add.full", thrown(() -> full.add("c")));
    say("abq.offer.null", thrown(() -> full.offer(null)));
    say("abq.offer.timed.full", full.offer("d", 5, TimeUnit.MILLISECONDS));
    say("abq.peek", full.peek());
    say("abq.poll", full.poll());
    say("abq.poll.empty", full.poll());
    say("abq.poll.timed.empty", full.poll(5, TimeUnit.MILLISECONDS));
    say("abq.remove.empty", thrown(full::remove));

    BlockingQueue<Integer> lbq = new LinkedBlockingQueue<>();
    for (int i = 0; i < 5; i++) {
      lbq.put(i);
    }
    say("lbq.take", lbq.take());
    List<Integer> drained = new ArrayList<>();
    say("lbq.drainTo.max", lbq.drainTo(drained, 2));
    say("lbq.drainTo.rest", lbq.drainTo(drained));
    say("lbq.drained", drained);

    Thread.currentThread().interrupt();
    say("lbq.take.interrupted", thrownChecked(lbq::take));
    Thread.currentThread().interrupt();
    say("lbq.put.interrupted", thrownChecked(() -> lbq.put(9)));
    say("lbq.size.after", lbq.size());

    Queue<String> plain = new ArrayDeque<>();
    say("deque.offer", plain.offer("x"));
    say("deque.add", plain.add("y"));
    say("deque.poll", plain.poll());
    say("deque.remove", plain.remove());
    say("deque.remove.empty", thrown(plain::remove));

    BlockingQueue<Runnable> consumerQueue = new LinkedBlockingQueue<>();
    AtomicReference<String> got = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        consumerQueue.take().run();
      } catch (InterruptedException e) {
        got.set("interrupted");
      }
    });
    t.start();
    consumerQueue.put(() -> got.set("ran"));
    t.join();
    say("lbq.handoff", got.get());
  }

  static void deques() throws Exception {
    Deque<Integer> d = new ArrayDeque<>();
    d.push(1);
    d.push(2);
    d.addLast(3);
    d.offerFirst(0);
    d.offerLast(4);
    say("deque.pop", d.pop());
    say("deque.pollFirst", d.pollFirst());
    say("deque.pollLast", d.pollLast());
    say("deque.peekFirst", d.peekFirst());
    say("deque.peekLast", d.peekLast());
    say("deque.removeFirst", d.removeFirst());
    say("deque.removeLast", d.removeLast());
    say("deque.pop.empty", thrown(d::pop));

    BlockingDeque<String> bd = new LinkedBlockingDeque<>(2);
    bd.putFirst("a");
    bd.putLast("b");
    say("bdeque.offerFirst.full", bd.offerFirst("c", 1, TimeUnit.MILLISECONDS));
    say("bdeque.takeLast", bd.takeLast());
    say("bdeque.takeFirst", bd.takeFirst());
    say("bdeque.pollLast.timed", bd.pollLast(1, TimeUnit.MILLISECONDS));
  }

  static void executors() throws Exception {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    say("submit.callable", pool.submit(() -> 42).get());
    say("submit.runnable", pool.submit(() -> { }).get());
    say("submit.runnable.result", pool.submit(() -> { }, "r").get());
    say("submit.throws", thrownChecked(() -> pool.submit(() -> {
      throw new IllegalArgumentException("bad input");
    }).get()));
    List<Callable<Integer>> tasks = Arrays.asList(() -> 1, () -> 2, () -> 3);
    List<Integer> results = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(tasks)) {
      results.add(f.get());
    }
    say("invokeAll", results);
    say("invokeAny", pool.invokeAny(Arrays.asList(() -> 7)));

    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> interruptSeen = new AtomicReference<>("no");
    Future<?> running = pool.submit(() -> {
      started.countDown();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        interruptSeen.set("yes");
      }
    });
    started.await();
    say("cancel.running", running.cancel(true));
    say("cancel.isCancelled", running.isCancelled());
    say("cancel.get", thrown(() -> {
      try {
        running.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }));
    pool.submit(() -> { }).get(); // the cancelled task has finished: its interrupt was delivered
    say("cancel.taskSawInterrupt", interruptSeen.get());

    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    pool.execute(() -> {
      holding.countDown();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    holding.await(); // the only worker is busy: what follows stays queued
    Runnable queued = () -> { };
    pool.execute(queued);
    say("tpe.remove.queued", pool.remove(queued));
    Runnable queued2 = new Runnable() {
      @Override
      public void run() {}

      @Override
      public String toString() {
        return "queued2";
      }
    };
    pool.execute(queued2);
    say("tpe.queue.toString", pool.getQueue().peek());
    List<Runnable> pending = pool.shutdownNow();
    say("shutdownNow.returnsOriginal", pending.size() == 1 && pending.get(0) == queued2);
    say("execute.afterShutdown", thrown(() -> pool.execute(() -> { })).replaceAll(":.*", ""));
    say("awaitTermination", pool.awaitTermination(5, TimeUnit.SECONDS));
    hold.countDown();
  }

  static void scheduling() throws Exception {
    ScheduledExecutorService ses = Executors.newScheduledThreadPool(1);
    ScheduledFuture<String> s = ses.schedule(() -> "later", 2, TimeUnit.MILLISECONDS);
    say("schedule.callable", s.get());
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch three = new CountDownLatch(3);
    ScheduledFuture<?> rate = ses.scheduleAtFixedRate(() -> {
      ticks.incrementAndGet();
      three.countDown();
    }, 0, 2, TimeUnit.MILLISECONDS);
    say("scheduleAtFixedRate.ran3", three.await(5, TimeUnit.SECONDS));
    rate.cancel(false);
    ScheduledFuture<?> delay = ses.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
    say("scheduleWithFixedDelay.cancel", delay.cancel(false));
    ses.shutdown();
    say("ses.terminated", ses.awaitTermination(5, TimeUnit.SECONDS));
  }

  static void completableFutures() throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(2);
    CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> 20, ex)
        .thenApplyAsync(x -> x + 1, ex)
        .thenCombineAsync(CompletableFuture.supplyAsync(() -> 2, ex), (a, b) -> a * b, ex);
    say("cf.result", f.get());
    CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> {
      throw new IllegalStateException("stage failed");
    }, ex);
    say("cf.failure", thrownChecked(failing::get));
    say("cf.commonPool", CompletableFuture.supplyAsync(() -> "cp", java.util.concurrent.ForkJoinPool.commonPool()).get());
    ex.shutdown();
    ex.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Executors that could observe a wrapper must see the application's own task objects. */
  static void wrappingIsInvisible() throws Exception {
    AtomicReference<Runnable> rejected = new AtomicReference<>();
    ThreadPoolExecutor custom = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
        (r, e) -> rejected.set(r));
    CountDownLatch hold = new CountDownLatch(1);
    custom.execute(() -> {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    custom.execute(() -> { });
    Runnable third = () -> { };
    custom.execute(third);
    say("customHandler.seesOriginal", rejected.get() == third);
    hold.countDown();
    custom.shutdown();
    custom.awaitTermination(5, TimeUnit.SECONDS);

    ThreadPoolExecutor priority = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>());
    CountDownLatch gate = new CountDownLatch(1);
    List<Integer> order = new ArrayList<>();
    priority.execute(new Prioritized(0, () -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    for (int p : new int[] {5, 1, 3}) {
      priority.execute(new Prioritized(p, () -> {
        synchronized (order) {
          order.add(p);
        }
      }));
    }
    gate.countDown();
    priority.shutdown();
    priority.awaitTermination(5, TimeUnit.SECONDS);
    say("priorityQueue.order", order);
  }

  static final class Prioritized implements Runnable, Comparable<Prioritized> {
    final int priority;
    final Runnable body;

    Prioritized(int priority, Runnable body) {
      this.priority = priority;
      this.body = body;
    }

    @Override
    public void run() {
      body.run();
    }

    @Override
    public int compareTo(Prioritized o) {
      return Integer.compare(priority, o.priority);
    }
  }

  static void latchesAndSemaphores() throws Exception {
    CountDownLatch l = new CountDownLatch(2);
    say("latch.await.timeout", l.await(2, TimeUnit.MILLISECONDS));
    l.countDown();
    say("latch.getCount", l.getCount());
    l.countDown();
    l.countDown();
    say("latch.getCount.open", l.getCount());
    l.await();
    say("latch.await.open", l.await(1, TimeUnit.MILLISECONDS));
    Thread.currentThread().interrupt();
    say("latch.await.interrupted", thrownChecked(() -> new CountDownLatch(1).await()));

    Semaphore s = new Semaphore(1);
    say("sem.tryAcquire", s.tryAcquire());
    say("sem.tryAcquire.none", s.tryAcquire());
    say("sem.tryAcquire.timed", s.tryAcquire(2, TimeUnit.MILLISECONDS));
    s.release(3);
    say("sem.available", s.availablePermits());
    s.acquire(2);
    say("sem.tryAcquire2.timed", s.tryAcquire(2, 1, TimeUnit.MILLISECONDS));
    s.acquireUninterruptibly();
    say("sem.available.end", s.availablePermits());
    say("sem.release.negative", thrown(() -> s.release(-1)));
  }

  static void barriersAndPhasers() throws Exception {
    CyclicBarrier b = new CyclicBarrier(2);
    AtomicInteger other = new AtomicInteger(-1);
    Thread t = new Thread(() -> {
      try {
        other.set(b.await());
      } catch (InterruptedException | BrokenBarrierException e) {
        other.set(-2);
      }
    });
    t.start();
    int mine = b.await();
    t.join();
    say("barrier.indexes", Arrays.asList(Math.min(mine, other.get()), Math.max(mine, other.get())));
    CyclicBarrier lonely = new CyclicBarrier(2);
    say("barrier.timeout", thrownChecked(() -> lonely.await(2, TimeUnit.MILLISECONDS)));
    say("barrier.broken", thrownChecked(lonely::await));

    Phaser p = new Phaser(1);
    say("phaser.arrive", p.arrive());
    say("phaser.awaitAdvance", p.awaitAdvance(0));
    say("phaser.arriveAndAwaitAdvance", p.arriveAndAwaitAdvance());
    say("phaser.awaitAdvance.timeout", thrownChecked(() -> {
      p.register();
      p.arrive();
      p.awaitAdvanceInterruptibly(p.getPhase(), 2, TimeUnit.MILLISECONDS);
    }));
    say("phaser.arriveAndDeregister", p.arriveAndDeregister());
  }

  static void locksAndConditions() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition c = lock.newCondition();
    lock.lock();
    try {
      say("cond.await.timeout", c.await(2, TimeUnit.MILLISECONDS));
      say("cond.awaitNanos.expired", c.awaitNanos(1_000_000) <= 0);
      c.signal();
      c.signalAll();
    } finally {
      lock.unlock();
    }
    say("unlock.notHeld", thrown(lock::unlock));
    say("cond.await.notHeld", thrownChecked(c::await));

    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      lock.lock();
      try {
        holding.countDown();
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    });
    holder.start();
    holding.await();
    say("tryLock.held", lock.tryLock());
    say("tryLock.timed.held", lock.tryLock(2, TimeUnit.MILLISECONDS));
    Thread.currentThread().interrupt();
    say("lockInterruptibly.interrupted", thrownChecked(lock::lockInterruptibly));
    release.countDown();
    holder.join();

    AtomicReference<String> woke = new AtomicReference<>("no");
    Thread waiter = new Thread(() -> {
      lock.lock();
      try {
        while (woke.get().equals("no")) {
          c.awaitUninterruptibly();
          woke.compareAndSet("no", "signalled");
        }
      } finally {
        lock.unlock();
      }
    });
    waiter.start();
    boolean signalled = false;
    while (!signalled) {
      lock.lock();
      try {
        if (lock.hasWaiters(c)) {
          c.signal();
          signalled = true;
        }
      } finally {
        lock.unlock();
      }
      Thread.yield();
    }
    waiter.join();
    say("cond.signal.wakes", woke.get());
    lock.lockInterruptibly();
    lock.unlock();
    say("cond.awaitUntil.past", awaitUntilPast(lock, c));
  }

  private static boolean awaitUntilPast(ReentrantLock lock, Condition c) throws InterruptedException {
    lock.lock();
    try {
      return c.awaitUntil(new java.util.Date(System.currentTimeMillis() - 1000));
    } finally {
      lock.unlock();
    }
  }

  static void monitors() throws Exception {
    Object mon = new Object();
    say("wait.notOwner", thrownChecked(mon::wait));
    say("notify.notOwner", thrown(mon::notify));
    say("notifyAll.notOwner", thrown(mon::notifyAll));
    synchronized (mon) {
      mon.wait(2);
      mon.wait(1, 500);
      mon.notify();
      mon.notifyAll();
    }
    AtomicReference<String> state = new AtomicReference<>("waiting");
    Thread t = new Thread(() -> {
      synchronized (mon) {
        while (state.get().equals("waiting")) {
          try {
            mon.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    });
    t.start();
    synchronized (mon) {
      state.set("notified");
      mon.notifyAll();
    }
    t.join();
    say("monitor.handshake", state.get());
    Thread.currentThread().interrupt();
    say("wait.interrupted", thrownChecked(() -> {
      synchronized (mon) {
        mon.wait();
      }
    }));
  }

  static void futuresAndSleep() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    CountDownLatch never = new CountDownLatch(1);
    Future<?> f = ex.submit(() -> {
      never.await();
      return null;
    });
    say("future.get.timeout", thrownChecked(() -> f.get(2, TimeUnit.MILLISECONDS)));
    f.cancel(true);
    ex.shutdown();
    say("future.executor.terminated", ex.awaitTermination(5, TimeUnit.SECONDS));
    Thread.sleep(1);
    Thread.sleep(0, 1000);
    Thread.currentThread().interrupt();
    say("sleep.interrupted", thrownChecked(() -> Thread.sleep(5000)));
    say("sleep.negative", thrownChecked(() -> Thread.sleep(-1)));
  }

  /** An application queue type used by the JDK's pool: advised as a type. */
  static void applicationQueueType() throws Exception {
    AuditedQueue q = new AuditedQueue();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, q);
    List<Future<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      fs.add(pool.submit(() -> n * n));
    }
    int sum = 0;
    for (Future<Integer> f : fs) {
      sum += f.get();
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    say("appQueue.sum", sum);
    say("appQueue.offers", q.offers.get() > 0);
    say("appQueue.direct.offer", q.offer(() -> { }));
    say("appQueue.direct.poll", q.poll() != null);
  }

  private SemanticsProgram() {}
}
