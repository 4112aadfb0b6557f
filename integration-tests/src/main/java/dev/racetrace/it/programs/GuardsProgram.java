package dev.racetrace.it.programs;

import dev.racetrace.api.RaceTrace;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker that processes load-metadata and derive operations per key behind the guards that
 * fail in the field: a startup latch (open long before), a global ready flag, a guard method that
 * only looks at that flag, and a short timed wait for metadata. Modes:
 * <ul>
 *   <li>{@code ordered}: per key, load-metadata is enqueued before derive; one worker.</li>
 *   <li>{@code gated}: two workers; derive waits on a per-key latch that load-metadata opens.</li>
 *   <li>{@code broken}: like ordered, but for one key (printed as {@code odd=}) load-metadata is
 *       sent first on a congested path (a second queue whose loader finishes it only after
 *       derive ran), so derive proceeds while its load-metadata has not ended.</li>
 * </ul>
 * Usage: {@code GuardsProgram <mode> <seed> <rounds>}. Seeded jitter varies the timing.
 */
public final class GuardsProgram {
  static volatile boolean ready;
  static final CountDownLatch startupLatch = new CountDownLatch(1);
  static final CountDownLatch metadataArrived = new CountDownLatch(1); // never opened: waits expire
  static final BlockingQueue<Operation> workQueue = new LinkedBlockingQueue<>();
  static final BlockingQueue<Operation> congestedQueue = new LinkedBlockingQueue<>();
  static final Map<String, CountDownLatch> keyGates = new ConcurrentHashMap<>();
  static final Map<String, String> results = new ConcurrentHashMap<>();
  static final AtomicInteger done = new AtomicInteger();

  /** An operation on one key. */
  public interface Operation {
    String key();
  }

  /** Registers the key's dependency metadata. */
  public static final class LoadMetadata implements Operation {
    private final String key;

    LoadMetadata(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  /** Derives a value from the metadata it can see. */
  public static final class Derive implements Operation {
    private final String key;

    Derive(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  /** Stops a worker. */
  static final class Stop implements Operation {
    @Override
    public String key() {
      return null;
    }
  }

  /** The metadata a node has loaded. */
  public static final class MetadataStore {
    static final Map<String, Integer> byKey = new ConcurrentHashMap<>();
    public static volatile int entities;

    static void register(String key) {
      byKey.put(key, 1);
      entities = byKey.size();
    }
  }

  /** A guard that only checks global readiness, not this key. */
  public static final class Gate {
    public static boolean canProcess(String key) {
      return ready;
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    long seed = Long.parseLong(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Random jitter = new Random(seed);
    RaceTrace.state("queue.backlog", workQueue::size);

    int workers = mode.equals("gated") ? 2 : 1;
    Thread[] threads = new Thread[workers];
    for (int i = 0; i < workers; i++) {
      long workerSeed = seed * 31 + i;
      threads[i] = new Thread(() -> work(mode.equals("gated"), new Random(workerSeed)), "worker-" + i);
      threads[i].start();
    }
    Thread loader = null;
    if (mode.equals("broken")) {
      loader = new Thread(GuardsProgram::loadLate, "congested-loader");
      loader.start();
    }
    MetadataStore.register("boot");
    startupLatch.countDown(); // boot finished: the latch never closes again
    ready = true;

    int keysPerRound = 5;
    for (int r = 0; r < rounds; r++) {
      String odd = mode.equals("broken") ? "r" + r + "-order-" + jitter.nextInt(keysPerRound) : null;
      if (odd != null) {
        System.out.println("odd=" + odd);
      }
      for (int k = 0; k < keysPerRound; k++) {
        String key = "r" + r + "-order-" + k;
        keyGates.put(key, new CountDownLatch(1));
        if (key.equals(odd)) {
          congestedQueue.put(new LoadMetadata(key)); // sent first, but finishes after derive ran
          workQueue.put(new Derive(key));
          awaitResult(key);
        } else {
          workQueue.put(new LoadMetadata(key));
          pause(jitter);
          workQueue.put(new Derive(key));
        }
        pause(jitter);
      }
    }
    for (int i = 0; i < workers; i++) {
      workQueue.put(new Stop());
    }
    for (Thread t : threads) {
      t.join();
    }
    if (loader != null) {
      congestedQueue.put(new Stop());
      loader.join();
    }
    results.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.println(e.getKey() + " " + e.getValue()));
  }

  static void work(boolean gated, Random jitter) {
    try {
      while (true) {
        Operation op = workQueue.take();
        if (op instanceof Stop) {
          return;
        }
        pause(jitter);
        if (op instanceof LoadMetadata) {
          MetadataStore.register(op.key());
          keyGates.get(op.key()).countDown();
        } else {
          derive(op.key(), gated);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The congested path: takes load-metadata at once, but registers it only after derive ran. */
  static void loadLate() {
    try {
      while (true) {
        Operation op = congestedQueue.take();
        if (op instanceof Stop) {
          return;
        }
        awaitResult(op.key());
        MetadataStore.register(op.key());
        keyGates.get(op.key()).countDown();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void derive(String key, boolean gated) throws InterruptedException {
    startupLatch.await();
    if (gated) {
      keyGates.get(key).await(10, TimeUnit.SECONDS);
    }
    if (!ready || !Gate.canProcess(key)) {
      results.put(key, "skipped");
      return;
    }
    boolean present = MetadataStore.byKey.containsKey(key);
    if (!present) {
      metadataArrived.await(2, TimeUnit.MILLISECONDS); // "wait a little for metadata, then go on"
      present = MetadataStore.byKey.containsKey(key);
    }
    results.put(key, present ? "fresh" : "stale");
    RaceTrace.mark("publish", key);
  }

  static void awaitResult(String key) throws InterruptedException {
    while (!results.containsKey(key)) {
      Thread.sleep(1);
    }
  }

  static void pause(Random jitter) {
    try {
      int p = jitter.nextInt(4);
      if (p > 0) {
        Thread.sleep(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private GuardsProgram() {}
}
