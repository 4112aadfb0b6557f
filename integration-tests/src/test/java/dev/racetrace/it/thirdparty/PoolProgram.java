package dev.racetrace.it.thirdparty;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;

/**
 * Apache Commons Pool2 under contention: more borrower threads than pooled connections, each
 * borrowing, using and returning one many times (blocked borrowers wait in the pool's own
 * LinkedBlockingDeque). Prints what a user checks: every borrow returned, no connection shared.
 * The seed (first argument) decides where borrowers yield while holding a connection; a second
 * argument {@code max-wait} sets the pool's maxWait.
 */
public final class PoolProgram {
  static final int THREADS = 6;
  static final int ROUNDS = 300;
  static final int MAX_TOTAL = 3;

  /** A pooled resource, named for the key extractor. */
  public static final class Conn {
    final int id;
    final AtomicInteger users = new AtomicInteger();
    int uses;

    Conn(int id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return "conn-" + id;
    }
  }

  public static void main(String[] args) throws Exception {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    AtomicInteger created = new AtomicInteger();
    GenericObjectPool<Conn> pool = new GenericObjectPool<>(new BasePooledObjectFactory<Conn>() {
      @Override
      public Conn create() {
        return new Conn(created.incrementAndGet());
      }

      @Override
      public PooledObject<Conn> wrap(Conn c) {
        return new DefaultPooledObject<>(c);
      }
    });
    pool.setMaxTotal(MAX_TOTAL);
    pool.setMaxIdle(MAX_TOTAL);
    if (args.length > 1 && args[1].equals("max-wait")) {
      // borrows then wait in the deque's own pollFirst(Duration), which no JDK interface declares
      pool.setMaxWait(java.time.Duration.ofSeconds(30));
    }
    AtomicInteger shared = new AtomicInteger();
    AtomicInteger returned = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(THREADS);
    for (int t = 0; t < THREADS; t++) {
      java.util.Random rnd = new java.util.Random(seed * 31 + t);
      Thread th = new Thread(() -> {
        try {
          for (int i = 0; i < ROUNDS; i++) {
            Conn c = pool.borrowObject();
            if (c.users.incrementAndGet() != 1) {
              shared.incrementAndGet();
            }
            c.uses++;
            if (rnd.nextInt(4) == 0) {
              Thread.yield();
            }
            c.users.decrementAndGet();
            pool.returnObject(c);
            returned.incrementAndGet();
          }
        } catch (Exception e) {
          e.printStackTrace();
        } finally {
          done.countDown();
        }
      }, "borrower-" + t);
      th.start();
    }
    done.await();
    int idle = pool.getNumIdle();
    pool.close();
    System.out.println("returns=" + returned.get() + " created=" + created.get() + " idle=" + idle
        + " shared=" + shared.get()
        + " created<=max=" + (created.get() <= MAX_TOTAL) + " idle<=max=" + (idle <= MAX_TOTAL));
  }

  private PoolProgram() {}
}
