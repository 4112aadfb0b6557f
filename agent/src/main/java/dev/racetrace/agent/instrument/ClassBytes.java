package dev.racetrace.agent.instrument;

import java.io.InputStream;
import java.lang.ref.WeakReference;

/** Reads a class's bytes by internal name, at transform time; null when unknown. */
interface ClassBytes {
  byte[] read(String internalName);

  /**
   * The class files among {@code loader}'s resources. The loader is held weakly: transformers keep
   * these per loader in weak maps, and a value that held its key would keep every undeployed web
   * application's loader alive.
   */
  static ClassBytes of(ClassLoader loader) {
    WeakReference<ClassLoader> ref = new WeakReference<>(loader);
    return internalName -> {
      ClassLoader l = ref.get();
      if (l == null) {
        return null;
      }
      try (InputStream in = l.getResourceAsStream(internalName + ".class")) {
        return in == null ? null : in.readAllBytes();
      } catch (Exception e) { // an unreadable resource is an unknown class: the call is left alone
        return null;
      }
    };
  }
}
