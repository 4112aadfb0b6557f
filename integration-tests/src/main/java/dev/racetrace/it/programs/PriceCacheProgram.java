package dev.racetrace.it.programs;

import dev.racetrace.api.RaceTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One replica of a price cache, a race of another shape than the sample app's. Per key,
 * {@code warm} loads the key's dependency on the {@code workers} pool, submitted as a lambda that
 * captures the keyed {@link Warm}; {@code price} and {@code publish} go through
 * {@code PriceCache.requests} to the one {@code pricer} thread. {@code price} reads the global
 * {@code PriceCache.ready} flag, then waits under {@code PriceCache.lock} for its key to be warm:
 * an {@code awaitNanos} loop on the {@code PriceCache.warmed} condition ({@code broken}), or an
 * untimed {@code await} loop ({@code fixed}).
 *
 * <p>Per seed (the same on every replica): the keys, the congested node and the raced key. On the
 * congested node the raced key's dependency load is slow, longer than {@code price}'s timeout: in
 * {@code broken} mode {@code price} gives up, prices cold and {@code publish} publishes that, so
 * this node diverges on that key while the others agree. {@code healthy} has no slow load.
 *
 * <p>Args: {@code node-id broken|fixed|healthy fromSeed toSeed rawDir [bare-lambda|keyed-lambda]
 * [monitor]}; {@code bare-lambda} submits each warm-up as a lambda that captures no keyed object;
 * {@code monitor} waits with {@code synchronized} + {@code Object.wait} on
 * {@code PriceCache.warmedMonitor} instead of the Condition ({@code wait(millis)} loop when broken
 * or healthy, {@code wait()} loop when fixed). Each seed starts with a
 * {@code seed-start} mark and ends by writing {@code rawDir/seed-<n>/<node>.json}, the
 * replica's raw state as {@code [{"node","key","value"}]}.
 */
public final class PriceCacheProgram {
  // Wide margins: a healthy replica on a loaded machine must never hit the timeout.
  static final long TIMEOUT_MS = 1_000;
  static final long SLOW_LOAD_MS = 1_600;

  /** Work on one key: the keyed type (racetrace.keys=...$Op#sku). */
  public interface Op {
    String sku();
  }

  /** Loads the key's dependency and marks it warm. */
  public static final class Warm implements Op {
    final String sku;
    final long loadMillis;

    Warm(String sku, long loadMillis) {
      this.sku = sku;
      this.loadMillis = loadMillis;
    }

    @Override
    public String sku() {
      return sku;
    }
  }

  /** Prices the key from the cache. */
  public static final class Price implements Op {
    final String sku;

    Price(String sku) {
      this.sku = sku;
    }

    @Override
    public String sku() {
      return sku;
    }
  }

  /** Publishes the key's price. */
  public static final class Publish implements Op {
    final String sku;

    Publish(String sku) {
      this.sku = sku;
    }

    @Override
    public String sku() {
      return sku;
    }
  }

  /** The cache of one seed. */
  static final class PriceCache {
    final ReentrantLock lock = new ReentrantLock();
    final Condition warmed = lock.newCondition();
    final Set<String> warm = new HashSet<>(); // guarded by lock
    final BlockingQueue<Op> requests = new LinkedBlockingQueue<>();
    final Map<String, String> prices = new ConcurrentHashMap<>();
    final Map<String, String> published = new ConcurrentHashMap<>();
    final Object warmedMonitor = new Object();
    final Set<String> warmOnMonitor = new HashSet<>(); // guarded by warmedMonitor
    final boolean fixed;
    final boolean monitor;
    volatile boolean ready;

    PriceCache(boolean fixed, boolean monitor) {
      this.fixed = fixed;
      this.monitor = monitor;
    }

    void warm(Warm w) throws InterruptedException {
      if (w.loadMillis > 0) {
        Thread.sleep(w.loadMillis); // the slow dependency load
      }
      if (monitor) {
        synchronized (warmedMonitor) {
          warmOnMonitor.add(w.sku);
          warmedMonitor.notifyAll();
        }
        return;
      }
      // the condition read into a local, as in the service: still named after its field
      Condition skuWarmup = warmed;
      lock.lock();
      try {
        warm.add(w.sku);
        skuWarmup.signalAll();
      } finally {
        lock.unlock();
      }
    }

    String price(String sku) throws InterruptedException {
      if (!ready) {
        return "not-ready";
      }
      if (monitor) {
        return (fixed ? awaitWarmOnMonitor(sku) : awaitWarmOnMonitorFor(sku, TIMEOUT_MS)) ? "warm" : "cold";
      }
      return (fixed ? awaitWarm(sku) : awaitWarmFor(sku, TIMEOUT_MS)) ? "warm" : "cold";
    }

    /** The broken guard on a monitor: a timed wait loop that goes on, cold, at its deadline. */
    boolean awaitWarmOnMonitorFor(String sku, long millis) throws InterruptedException {
      synchronized (warmedMonitor) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!warmOnMonitor.contains(sku)) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            return false;
          }
          warmedMonitor.wait(left);
        }
        return true;
      }
    }

    /** The fix on a monitor: wait until this key is warm. */
    boolean awaitWarmOnMonitor(String sku) throws InterruptedException {
      synchronized (warmedMonitor) {
        while (!warmOnMonitor.contains(sku)) {
          warmedMonitor.wait();
        }
        return true;
      }
    }

    /** The broken guard: a timed wait that goes on, cold, at its timeout. */
    boolean awaitWarmFor(String sku, long millis) throws InterruptedException {
      Condition skuWarmup = warmed;
      lock.lock();
      try {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        while (!warm.contains(sku)) {
          if (nanos <= 0) {
            return false;
          }
          nanos = skuWarmup.awaitNanos(nanos);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** The fix: wait until this key is warm. */
    boolean awaitWarm(String sku) throws InterruptedException {
      lock.lock();
      try {
        while (!warm.contains(sku)) {
          warmed.await();
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    void serve(int ops) throws InterruptedException {
      for (int i = 0; i < ops; i++) {
        Op op = requests.take();
        if (op instanceof Price) {
          prices.put(op.sku(), price(op.sku()));
        } else {
          published.put(op.sku(), "price=" + prices.get(op.sku()));
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String node = args[0];
    String mode = args[1];
    long from = Long.parseLong(args[2]);
    long to = Long.parseLong(args[3]);
    Path rawDir = Paths.get(args[4]);
    boolean bareLambda = args.length > 5 && args[5].equals("bare-lambda");
    boolean monitor = args.length > 6 && args[6].equals("monitor");
    ExecutorService workers = Executors.newFixedThreadPool(2);
    for (long seed = from; seed <= to; seed++) {
      RaceTrace.mark("seed-start", "seed-" + seed);
      runSeed(seed, node, mode, workers, rawDir, bareLambda, monitor);
    }
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static void runSeed(long seed, String node, String mode, ExecutorService workers,
      Path rawDir, boolean bareLambda, boolean monitor) throws Exception {
    Random r = new Random(seed);
    int keys = 3 + r.nextInt(3);
    String congested = "node-" + (1 + r.nextInt(3));
    String raced = "sku-" + (100 + r.nextInt(keys));
    PriceCache cache = new PriceCache(mode.equals("fixed"), monitor);
    cache.ready = true;
    Thread pricer = new Thread(() -> {
      try {
        cache.serve(keys * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pricer");
    pricer.start();
    List<Future<?>> warms = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      String sku = "sku-" + (100 + i);
      boolean slow = !mode.equals("healthy") && node.equals(congested) && sku.equals(raced);
      Warm w = new Warm(sku, slow ? SLOW_LOAD_MS : 0);
      if (bareLambda) {
        // captures only a String and a long: no keyed object, so no key and no op of its own
        long load = w.loadMillis;
        warms.add(workers.submit(() -> {
          cache.warm(new Warm(sku, load));
          return null;
        }));
      } else {
        warms.add(workers.submit(() -> {
          cache.warm(w);
          return null;
        }));
      }
      cache.requests.put(new Price(sku));
      cache.requests.put(new Publish(sku));
    }
    pricer.join();
    for (Future<?> f : warms) {
      f.get();
    }
    writeRaw(rawDir.resolve("seed-" + seed).resolve(node + ".json"), node, cache.published);
  }

  private static void writeRaw(Path file, String node, Map<String, String> published)
      throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<String, String> e : new TreeMap<>(published).entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"node\":\"").append(node).append("\",\"key\":\"").append(e.getKey())
          .append("\",\"value\":\"").append(e.getValue()).append("\"}");
    }
    Files.createDirectories(file.getParent());
    Files.write(file, sb.append("]\n").toString().getBytes(StandardCharsets.UTF_8));
  }
}
