package dev.racetrace.sample.node;

import dev.racetrace.sample.support.Completion;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of the replicated store: a work queue feeding a worker pool, the metadata store, the
 * staged derivations and the persisted records.
 *
 * <p>The fields the agent is pointed at keep the names the configuration uses:
 * {@link #workQueue} and {@link #workers} (queue and executor spans are named after them),
 * {@link #startupLatch} and {@link #ready} ({@code racetrace.guards.flags=...Node#ready}).
 *
 * <p>Lifecycle: {@link #start} (snapshot, workers, ready), {@link #replay} (the input log),
 * {@link #awaitFinished}, {@link #close}. One instance runs one seed.
 */
public final class Node implements AutoCloseable {
  final NodeConfig config;
  final NodeLog log;

  /** Operations waiting for a worker: foreground first, then log order. */
  final BlockingQueue<Operation> workQueue =
      new PriorityBlockingQueue<>(64, Operation.QUEUE_ORDER);
  /** The worker pool; each thread runs a {@link WorkerLoop} on {@link #workQueue}. */
  final ExecutorService workers;
  /** Opens once the initial metadata snapshot is loaded. Never closes again. */
  final CountDownLatch startupLatch = new CountDownLatch(1);
  /** Node-wide readiness: set once at boot, after the startup latch opened. */
  volatile boolean ready;

  final MetadataStore metadata = new MetadataStore();
  /** Values staged by {@code derive}, read by {@code publish}. */
  final Map<String, Derivation> derived = new ConcurrentHashMap<>();
  final RecordStore records;

  private final Admission admission;
  /** Finished operations (any outcome). Harness bookkeeping, kept out of the agent's view. */
  private final Completion completed = new Completion();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile int expected = -1;
  private volatile Thread intake;
  private volatile Timings timings = new Timings(0);

  /**
   * @param config how to run
   * @param log where log lines go
   */
  public Node(NodeConfig config, NodeLog log) {
    this.config = config;
    this.log = log;
    this.records = new RecordStore(config.id());
    this.workers = Executors.newFixedThreadPool(config.workers(), threads(config.id() + "-worker-"));
    this.admission = config.mode() == Mode.FIXED ? new DependencyGate(this) : new Admission.Direct(this);
  }

  /** The node id. */
  public String id() {
    return config.id();
  }

  /** The configuration. */
  public NodeConfig config() {
    return config;
  }

  /** The persisted records (what raw reads return). */
  public RecordStore records() {
    return records;
  }

  /**
   * Boots the node: starts the workers, loads the initial snapshot on a loader thread, waits for
   * the startup latch, and declares the node ready.
   */
  public void start(Collection<MetadataEntry> snapshot) throws InterruptedException {
    metadata.makeLive();
    for (int i = 0; i < config.workers(); i++) {
      workers.execute(new WorkerLoop(this));
    }
    Thread loader = new Thread(() -> loadSnapshot(snapshot), config.id() + "-snapshot");
    loader.setDaemon(true);
    loader.start();
    startupLatch.await();
    ready = true;
  }

  private void loadSnapshot(Collection<MetadataEntry> snapshot) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Workload.SNAPSHOT_LOAD_MILLIS));
    long entities = metadata.loadSnapshot(snapshot);
    log.info("snapshot: initialized with metadata from " + entities + " entities");
    startupLatch.countDown();
  }

  /**
   * Starts replaying the input log on the intake thread.
   *
   * @param schedule the log, from {@link Workload#schedule}
   * @param startNanos the {@link System#nanoTime()} at which the log starts
   */
  public void replay(List<Scheduled> schedule, long startNanos) {
    if (intake != null) {
      throw new IllegalStateException(config.id() + " is already replaying a log");
    }
    expected = schedule.size();
    timings = new Timings(schedule.size());
    Thread t = new Thread(new Intake(schedule, startNanos, admission, timings), config.id() + "-intake");
    t.setDaemon(true);
    intake = t;
    t.start();
  }

  /**
   * Waits until every operation of the log has finished.
   *
   * @return false when {@code timeout} passed first
   */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    int exp = expected;
    if (exp < 0) {
      throw new IllegalStateException(config.id() + " has no log to finish");
    }
    return completed.awaitAtLeast(exp, timeout);
  }

  /** Admits one operation directly, bypassing the intake (used by the warm-up). */
  void admit(Operation op) {
    admission.admit(op);
  }

  /** Waits until {@code count} operations have finished (used by the warm-up). */
  boolean awaitCompleted(long count, Duration timeout) throws InterruptedException {
    return completed.awaitAtLeast(count, timeout);
  }

  /** Progress, for {@code GET /status}. */
  public NodeStatus status() {
    int exp = expected;
    int done = (int) completed.count();
    String state = !ready ? "starting" : exp < 0 ? "ready" : done >= exp ? "done" : "running";
    return new NodeStatus(state, done, exp, failed.get());
  }

  /** Runs one operation on the calling worker thread. */
  void process(Operation op) {
    timings.started(op, System.nanoTime());
    try {
      // Guard 1: the startup latch. Open since boot, so this checks nothing any more.
      startupLatch.await();
      op.apply(this);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      log.info(op + " failed: " + e.getMessage());
    } finally {
      completed.increment();
    }
  }

  /**
   * Called by the worker after {@link #process}, on every path.
   *
   * @return the operation this worker runs next without going back to the queue, or null
   */
  Operation handOn(Operation finished) {
    return admission.next(finished);
  }

  /** Longest lateness of the intake against the schedule, in ms. */
  public long intakeLateMillis() {
    return timings.intakeLateMillis();
  }

  /** Longest wait of a foreground operation between arrival and start, in ms. */
  public long foregroundWaitMillis() {
    return timings.foregroundWaitMillis();
  }

  /** Longest wait of a background operation (metadata load, compaction) between arrival and start, in ms. */
  public long backgroundWaitMillis() {
    return timings.backgroundWaitMillis();
  }

  /** Epoch microseconds now. */
  static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Stops the intake and the workers and retires the metadata probes. */
  @Override
  public void close() {
    Thread t = intake;
    if (t != null) {
      t.interrupt();
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        log.info(config.id() + ": workers did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metadata.retire();
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
