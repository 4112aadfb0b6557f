package dev.racetrace.agent.instrument;

import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.Counters;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * The class file transformer for call sites: for each class loaded from an enabled package, runs
 * {@link CallSiteRewriter} over its tree and returns the new bytes, or null (unchanged) when the
 * class has no instrumented call or anything goes wrong.
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
  private final java.util.function.Consumer<String> typeCandidates;
  private final Set<dev.racetrace.agent.config.RecordFamily> recorded;

  /**
   * @param typeCandidates told the binary name of each enabled class that implements
   *     Queue or Executor itself (it needs type-level advice)
   */
  CallSiteTransformer(PackageFilter filter, Set<String> flagFields, CallSiteRewriter.DelaySites delays,
      java.util.function.Consumer<String> typeCandidates, Counters counters, Instrumentation inst,
      Module hookModule, Set<dev.racetrace.agent.config.RecordFamily> recorded) {
    this.recorded = recorded;
    this.filter = filter;
    this.flagFields = flagFields;
    this.delays = delays;
    this.typeCandidates = typeCandidates;
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
      ClassNode cls = new ClassNode(Opcodes.ASM9);
      new ClassReader(bytes).accept(cls, 0);
      LoaderTypes lt = loaderTypes.computeIfAbsent(loader, l -> new LoaderTypes(l, filter::matchesInternalName));
      lt.headers.know(cls.name, cls.superName, cls.interfaces);
      if (classBeingRedefined == null && (cls.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) == 0
          && ((recorded.contains(dev.racetrace.agent.config.RecordFamily.QUEUES)
                  && lt.headers.isAssignable(className, "java/util/Queue"))
              || (recorded.contains(dev.racetrace.agent.config.RecordFamily.EXECUTORS)
                  && lt.headers.isAssignable(className, "java/util/concurrent/Executor")))) {
        typeCandidates.accept(className.replace('/', '.'));
      }
      int rewritten = new CallSiteRewriter(HookTable.INSTANCE, lt.headers, flagFields, delays, recorded, lt.wrappers)
          .rewrite(cls);
      if (rewritten == 0) {
        return null;
      }
      ClassWriter writer = new ClassWriter(0);
      cls.accept(writer);
      byte[] result = writer.toByteArray();
      ensureReadable(module);
      counters.rewrittenCallSites().addAndGet(rewritten);
      counters.transformedClasses().incrementAndGet();
      return result;
    } catch (Throwable t) {
      counters.transformErrors().incrementAndGet();
      Log.get().warn("transform", "could not instrument " + className.replace('/', '.')
          + "; the class runs uninstrumented", t);
      return null;
    }
  }

  /** A loader's type answers and lock wrappers, kept as long as the loader lives (never holding it). */
  private static final class LoaderTypes {
    final ClassHeaderResolver headers;
    final LockWrappers wrappers;

    LoaderTypes(ClassLoader loader, java.util.function.Predicate<String> instrumented) {
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
