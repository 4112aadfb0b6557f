package dev.racetrace.agent.resolve;

import dev.racetrace.agent.config.GuardConfig;
import dev.racetrace.agent.internal.Redact;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A configured state probe ({@code racetrace.state}): reads a static field or calls a static
 * no-argument method, resolved on first use through the calling thread's class loader. With a
 * sample interval, the value is read at most once per interval and reused in between. Failures
 * propagate to agent-core, which disables the probe after three; the first one is also reported in
 * one stderr line.
 */
public final class StaticProbe implements LongSupplier {
  private final GuardConfig.Probe config;
  private final long sampleNanos;
  private final AtomicBoolean reported = new AtomicBoolean();
  private volatile MethodHandle handle;
  private volatile long cachedValue;
  private volatile long cachedAt = Long.MIN_VALUE;

  public StaticProbe(GuardConfig.Probe config) {
    this.config = config;
    this.sampleNanos = config.sampleMillis * 1_000_000L;
  }

  @Override
  public long getAsLong() {
    if (sampleNanos > 0) {
      long now = System.nanoTime();
      if (cachedAt != Long.MIN_VALUE && now - cachedAt < sampleNanos) {
        return cachedValue;
      }
      long v = read();
      cachedValue = v;
      cachedAt = now;
      return v;
    }
    return read();
  }

  private long read() {
    try {
      MethodHandle h = handle;
      if (h == null) {
        h = resolve();
        handle = h;
      }
      return toLong(h.invoke());
    } catch (RuntimeException | Error e) {
      reportOnce(e);
      throw e;
    } catch (Throwable t) {
      reportOnce(t);
      throw new IllegalStateException(t);
    }
  }

  /**
   * The first failure of this probe gets one stderr line naming the probe and the exception class
   * (never its message, which may hold application data); later ones are only counted.
   */
  private void reportOnce(Throwable t) {
    if (reported.compareAndSet(false, true)) {
      System.err.println(Redact.controls("racetrace: state probe " + config.name + "=" + config.member
          + " threw " + t.getClass().getName() + "; it is read without effect on the application and "
          + "disabled after 3 failures (counted as internal errors)"));
    }
  }

  private MethodHandle resolve() {
    String cls = config.member.className();
    String member = config.member.member();
    Class<?> k;
    try {
      ClassLoader tccl = Thread.currentThread().getContextClassLoader();
      k = Class.forName(cls, false, tccl != null ? tccl : ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("racetrace.state " + config.name + ": class " + cls + " not found");
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(k, MethodHandles.lookup());
      for (Field f : k.getDeclaredFields()) {
        if (f.getName().equals(member) && Modifier.isStatic(f.getModifiers())) {
          return lookup.findStaticGetter(k, member, f.getType());
        }
      }
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(member) && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())) {
          return lookup.findStatic(k, member, MethodType.methodType(m.getReturnType()));
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("racetrace.state " + config.name + ": " + config.member + " not found");
  }

  static long toLong(Object v) {
    if (v instanceof Number) {
      return v instanceof LongAdder ? ((LongAdder) v).sum() : ((Number) v).longValue();
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1 : 0;
    }
    if (v instanceof AtomicBoolean) {
      return ((AtomicBoolean) v).get() ? 1 : 0;
    }
    throw new IllegalStateException("not a number or boolean: " + (v == null ? "null" : v.getClass().getName()));
  }
}
