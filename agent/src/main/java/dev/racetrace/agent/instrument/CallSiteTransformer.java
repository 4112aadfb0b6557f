package dev.racetrace.agent.instrument;

import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.Counters;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * The class file transformer for call sites: for each class loaded from an enabled package, runs
 * {@link CallSiteRewriter} over its tree, weaves {@link TypeAdviceWeaver}'s advice into a class that
 * is a queue or an executor itself, and returns the new bytes, or null (unchanged) when there was
 * nothing to instrument or anything went wrong.
 */
final class CallSiteTransformer implements ClassFileTransformer {
  private final PackageFilter filter;
  private final Counters counters;
  private final Instrumentation inst;
  private final Module hookModule;
  private final Set<Module> readableFrom = ConcurrentHashMap.newKeySet();
  /** Per loader; a value never holds its loader (a weak key its value holds is never freed). */
  private final Map<ClassLoader, LoaderTypes> loaderTypes = Collections.synchronizedMap(new WeakHashMap<>());
  private final Set<String> flagFields;
  private final CallSiteRewriter.DelaySites delays;
  private final Set<RecordFamily> recorded;

  CallSiteTransformer(PackageFilter filter, Set<String> flagFields, CallSiteRewriter.DelaySites delays,
      Counters counters, Instrumentation inst, Module hookModule, Set<RecordFamily> recorded) {
    this.recorded = recorded;
    this.filter = filter;
    this.flagFields = flagFields;
    this.delays = delays;
    this.counters = counters;
    this.inst = inst;
    this.hookModule = hookModule;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> classBeingRedefined, ProtectionDomain protectionDomain, byte[] bytes) {
    if (className == null || loader == null || !filter.matchesInternalName(className)) {
      return null;
    }
    try {
      ClassReader reader = new ClassReader(bytes);
      LoaderTypes lt = loaderTypes.computeIfAbsent(loader, l -> new LoaderTypes(l, filter::matchesInternalName));
      lt.headers.know(reader.getClassName(), reader.getSuperName(), Arrays.asList(reader.getInterfaces()));
      boolean concrete = (reader.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) == 0;
      boolean queue = concrete && recorded.contains(RecordFamily.QUEUES)
          && isA(lt, className, classBeingRedefined, Queue.class);
      boolean executor = concrete && recorded.contains(RecordFamily.EXECUTORS)
          && isA(lt, className, classBeingRedefined, Executor.class);
      byte[] result = instrument(reader, lt, queue, executor, className);
      if (result != null) {
        ensureReadable(module);
        counters.transformedClasses().incrementAndGet();
      }
      return result;
    } catch (Throwable t) {
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform", "could not instrument " + className.replace('/', '.')
          + "; the class runs uninstrumented", t);
      return null;
    }
  }

  /** The class with its call sites rewritten and, when asked, the type advice woven; null: unchanged. */
  private byte[] instrument(ClassReader reader, LoaderTypes lt, boolean queue, boolean executor, String className) {
    ClassNode cls = new ClassNode(Opcodes.ASM9);
    // the type advice appends locals to every frame of a method: it reads them expanded
    reader.accept(cls, queue || executor ? ClassReader.EXPAND_FRAMES : 0);
    int rewritten = new CallSiteRewriter(HookTable.INSTANCE, lt.headers, flagFields, delays, recorded, lt.wrappers)
        .rewrite(cls); // registers the class's call sites: done once, whatever the advice does
    byte[] result = queue || executor ? advised(cls, rewritten, queue, executor, className)
        : rewritten == 0 ? null : bytes(cls);
    if (result != null) {
      counters.rewrittenCallSites().addAndGet(rewritten);
    }
    return result;
  }

  /**
   * The rewritten class with the type advice woven in; should weaving or writing the advised class
   * fail (a method too large with the advice, say), the class with its call sites rewritten only.
   */
  private byte[] advised(ClassNode cls, int rewritten, boolean queue, boolean executor, String className) {
    ClassNode rewrittenOnly = new ClassNode(Opcodes.ASM9);
    cls.accept(rewrittenOnly); // the weaver changes cls in place: this copy stands if it fails
    try {
      int advised = TypeAdviceWeaver.weave(cls, queue, executor);
      return rewritten + advised == 0 ? null : bytes(cls);
    } catch (RuntimeException e) {
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform:types", "could not advise " + className.replace('/', '.')
          + " as a queue or executor; its call sites are still recorded", e);
      return rewritten == 0 ? null : bytes(rewrittenOnly);
    }
  }

  private static byte[] bytes(ClassNode cls) {
    ClassWriter writer = new ClassWriter(0);
    cls.accept(writer);
    return writer.toByteArray();
  }

  /**
   * Whether the class is a {@code kind}: at a load, from the class-file headers of its hierarchy
   * (nothing is loaded); at a retransformation, the loaded class answers.
   */
  private static boolean isA(LoaderTypes lt, String className, Class<?> redefined, Class<?> kind) {
    return redefined != null ? kind.isAssignableFrom(redefined)
        : lt.headers.isAssignable(className, kind.getName().replace('.', '/'));
  }

  /** A loader's type answers and lock wrappers, kept as long as the loader lives (never holding it). */
  private static final class LoaderTypes {
    final ClassHeaderResolver headers;
    final LockWrappers wrappers;

    LoaderTypes(ClassLoader loader, Predicate<String> instrumented) {
      ClassBytes bytes = ClassBytes.of(loader);
      headers = new ClassHeaderResolver(bytes);
      wrappers = new LockWrappers(bytes, headers, instrumented);
    }
  }

  /** A class in a named module must be able to read the (bootstrap, unnamed) module of the hooks. */
  private void ensureReadable(Module module) {
    if (module == null || !module.isNamed() || readableFrom.contains(module)) {
      return;
    }
    if (!module.canRead(hookModule)) {
      inst.redefineModule(module, Set.of(hookModule), Map.of(), Map.of(), Set.of(), Map.of());
    }
    readableFrom.add(module);
  }
}
