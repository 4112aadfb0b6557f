package dev.racetrace.bench.jmh;

import dev.racetrace.core.AppSpans;
import dev.racetrace.core.hook.QueueHooks;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code racetrace.otel.link} adds to a recorded event: the enqueue hook of
 * {@link QueueBench#offer_hook} with the link off, on without a current application span, and on
 * inside one (the application runs the OpenTelemetry SDK). The handle installed is the one the
 * agent's bridge builds: {@code Span.current().getSpanContext()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class AppSpanBench {

  /** The application's tracing on the benchmark thread. */
  @State(Scope.Thread)
  public static class App {
    @Param({"off", "no-span", "in-span"})
    public String link;

    final Queue<Object> q = new ArrayBlockingQueue<>(1024);
    private SdkTracerProvider provider;
    private Span span;
    private io.opentelemetry.context.Scope scope;

    @Setup(Level.Trial)
    public void start() throws ReflectiveOperationException {
      provider = SdkTracerProvider.builder().build();
      if (!link.equals("off")) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle current = lookup.findStatic(Span.class, "current", MethodType.methodType(Span.class));
        MethodHandle context = lookup.findVirtual(Span.class, "getSpanContext",
            MethodType.methodType(SpanContext.class));
        AppSpans.install(MethodHandles.filterReturnValue(current, context)
            .asType(MethodType.methodType(Object.class)));
      }
      if (link.equals("in-span")) {
        span = provider.get("bench").spanBuilder("request").startSpan();
        scope = span.makeCurrent();
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      if (scope != null) {
        scope.close();
        span.end();
      }
      AppSpans.install(null);
      provider.close();
    }
  }

  @Benchmark
  public Object offer_linked(App a, Elements e, RecorderState r) {
    QueueHooks.offer(a.q, e.next(), r.site);
    return a.q.poll();
  }
}
