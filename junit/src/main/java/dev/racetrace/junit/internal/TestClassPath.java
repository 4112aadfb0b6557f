package dev.racetrace.junit.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path of this test JVM, for the fork: {@code java.class.path}, with a manifest-only
 * jar (Surefire's {@code surefirebooter*.jar}, IDE launchers) expanded to its {@code Class-Path}.
 */
public final class TestClassPath {
  private TestClassPath() {}

  /** The entries of this JVM's class path. */
  public static List<String> current() {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      List<String> expanded = manifestOnly(e);
      if (expanded != null) {
        out.addAll(expanded);
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /** The Class-Path of a jar that holds nothing but a manifest, else null. */
  private static List<String> manifestOnly(String entry) {
    if (!entry.endsWith(".jar")) {
      return null;
    }
    Path jar = Paths.get(entry);
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null || f.stream().anyMatch(en -> en.getName().endsWith(".class"))) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (String u : cp.trim().split("\\s+")) {
        if (u.isEmpty()) {
          continue;
        }
        URI uri = jar.toUri().resolve(u);
        out.add(Paths.get(uri).toString());
      }
      return out;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
