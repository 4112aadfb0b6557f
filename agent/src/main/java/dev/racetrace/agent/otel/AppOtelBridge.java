package dev.racetrace.agent.otel;

import dev.racetrace.agent.internal.Log;
import dev.racetrace.core.AppSpans;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.function.Function;

/**
 * Links racetrace's spans to the application's own OpenTelemetry spans ({@code racetrace.otel.link}).
 *
 * <p>It watches for the application's OTel API ({@code io.opentelemetry.api.trace.Span}) being
 * loaded, then, on the exporter thread, resolves method handles for
 * {@code Span.current().getSpanContext()} through that class loader and hands them to
 * {@link AppSpans}, which reads them at recorded events. The exporter turns the application's
 * span contexts (objects of the application's API, read by reflection) into racetrace's own.
 *
 * <p>The API's class names are built at run time: racetrace's own copy of OTel is relocated in the
 * agent jar, and string constants naming it would be relocated with it.
 */
public final class AppOtelBridge implements ClassFileTransformer, Function<Object, SpanContext> {
  private static final String TRACE_PACKAGE = String.join(".", "io", "opentelemetry", "api", "trace");
  private static final String SPAN = TRACE_PACKAGE + ".Span";
  private static final String SPAN_CONTEXT = TRACE_PACKAGE + ".SpanContext";
  private static final String SPAN_INTERNAL_NAME = SPAN.replace('.', '/');

  private volatile ClassLoader apiLoader;
  private volatile boolean resolved;
  private boolean failed;
  private MethodHandle traceId;
  private MethodHandle spanId;
  private MethodHandle sampled;
  private MethodHandle valid;
  private Object lastApp;
  private SpanContext lastOwn;

  /** Starts watching; also finds an API the application loaded before racetrace was attached. */
  public static AppOtelBridge install(Instrumentation inst) {
    AppOtelBridge bridge = new AppOtelBridge();
    inst.addTransformer(bridge, false);
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getName().equals(SPAN) && bridge.apiLoader == null) {
        bridge.apiLoader = c.getClassLoader();
      }
    }
    return bridge;
  }

  /** A bridge to the OTel API visible to {@code loader}, without watching class loading. */
  public static AppOtelBridge forLoader(ClassLoader loader) {
    AppOtelBridge bridge = new AppOtelBridge();
    bridge.apiLoader = loader;
    return bridge;
  }

  /** Notes the class loader of the application's OTel API; never changes a class. */
  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (apiLoader == null && SPAN_INTERNAL_NAME.equals(className)) {
      apiLoader = loader != null ? loader : ClassLoader.getSystemClassLoader();
    }
    return null;
  }

  /**
   * Called on the exporter thread: once the application's API has been loaded, resolves the
   * handles and starts {@link AppSpans}. A failure (an API without these methods) is reported once
   * and the feature stays off.
   */
  public void resolveIfLoaded() {
    ClassLoader loader = apiLoader;
    if (resolved || failed || loader == null) {
      return;
    }
    try {
      // the class is already loaded: no loading and no initialisation here
      Class<?> span = Class.forName(SPAN, false, loader);
      Class<?> context = Class.forName(SPAN_CONTEXT, false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle current = lookup.findStatic(span, "current", MethodType.methodType(span));
      MethodHandle getContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(context));
      traceId = generic(lookup.findVirtual(context, "getTraceId", MethodType.methodType(String.class)));
      spanId = generic(lookup.findVirtual(context, "getSpanId", MethodType.methodType(String.class)));
      sampled = generic(lookup.findVirtual(context, "isSampled", MethodType.methodType(boolean.class)));
      valid = generic(lookup.findVirtual(context, "isValid", MethodType.methodType(boolean.class)));
      AppSpans.install(MethodHandles.filterReturnValue(current, getContext)
          .asType(MethodType.methodType(Object.class)));
      resolved = true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      failed = true;
      Log.get().warn("otel.link", "racetrace.otel.link: the application's OpenTelemetry API could not be "
          + "used; spans are not linked to application spans", e);
    }
  }

  /** Whether racetrace reads the application's spans. */
  public boolean active() {
    return resolved && AppSpans.installed();
  }

  private static MethodHandle generic(MethodHandle h) {
    return h.asType(h.type().changeParameterType(0, Object.class));
  }

  /**
   * racetrace's copy of an application span context, or null when the application had no valid
   * current span. Called on the exporter thread only.
   */
  @Override
  public SpanContext apply(Object app) {
    if (app == null || !resolved) {
      return null;
    }
    if (app == lastApp) {
      return lastOwn;
    }
    SpanContext own = null;
    try {
      if ((boolean) valid.invokeExact(app)) {
        own = SpanContext.create((String) traceId.invokeExact(app), (String) spanId.invokeExact(app),
            (boolean) sampled.invokeExact(app) ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
      }
    } catch (Throwable t) {
      own = null;
    }
    lastApp = app;
    lastOwn = own != null && own.isValid() ? own : null;
    return lastOwn;
  }
}
