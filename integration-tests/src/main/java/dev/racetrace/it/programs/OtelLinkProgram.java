package dev.racetrace.it.programs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An application that runs its own OpenTelemetry tracing: each request is a span of the
 * application's, inside which an order is put on a work queue; a worker takes the orders. Prints
 * one line per request: {@code request <order> <traceId> <spanId>}, then one order put outside any
 * span.
 */
public final class OtelLinkProgram {
  /** A queued order; {@link #key()} is its key for racetrace.keys. */
  public static final class Order {
    final String id;

    Order(String id) {
      this.id = id;
    }

    public String key() {
      return id;
    }
  }

  public static void main(String[] args) throws Exception {
    int requests = Integer.parseInt(args[0]);
    long pauseMillis = Long.parseLong(args[1]);
    // "global": the tracer of GlobalOpenTelemetry (what an application under the OpenTelemetry
    // Java agent uses); otherwise an SDK of the program's own
    boolean global = args.length > 2 && args[2].equals("global");
    SdkTracerProvider provider = global ? null : SdkTracerProvider.builder().build();
    Tracer tracer = global ? io.opentelemetry.api.GlobalOpenTelemetry.getTracer("orders-app")
        : provider.get("orders-app");
    BlockingQueue<Order> queue = new LinkedBlockingQueue<>();
    Thread worker = new Thread(() -> {
      try {
        for (int i = 0; i <= requests; i++) {
          queue.take();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "worker");
    worker.start();
    for (int i = 0; i < requests; i++) {
      Span request = tracer.spanBuilder("POST /orders").startSpan();
      SpanContext c = request.getSpanContext();
      try (Scope ignored = request.makeCurrent()) {
        queue.put(new Order("order-" + i));
      } finally {
        request.end();
      }
      System.out.println("request order-" + i + " " + c.getTraceId() + " " + c.getSpanId());
      Thread.sleep(pauseMillis);
    }
    queue.put(new Order("order-outside"));
    worker.join();
    if (provider != null) {
      provider.close();
    }
    System.out.println("done");
  }
}
