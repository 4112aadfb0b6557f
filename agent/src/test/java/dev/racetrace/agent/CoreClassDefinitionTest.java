package dev.racetrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.core.site.CallSite;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The bootstrap class loader resolves a class's superclass and interfaces while defining it, and
 * finds only what is defined already: agent-core's classes must go in supertypes first.
 */
class CoreClassDefinitionTest {
  @Test
  void everyCoreClassIsDefinedOnceAfterItsSupertypes() throws Exception {
    Map<String, byte[]> classes = agentCoreClasses();
    List<String> order = new ArrayList<>();
    CoreClassDefinition.defineInOrder(classes, (name, bytes) -> {
      order.add(name);
      return null;
    });

    assertThat(order).containsExactlyInAnyOrderElementsOf(classes.keySet()).doesNotHaveDuplicates();
    int inSetSupertypes = 0;
    for (String name : order) {
      for (String supertype : supertypes(classes.get(name))) {
        if (classes.containsKey(supertype)) {
          inSetSupertypes++;
          assertThat(order.indexOf(supertype)).as("%s before %s", supertype, name).isLessThan(order.indexOf(name));
        }
      }
    }
    // agent-core's enums and interfaces give the order something to get wrong (the map is sorted
    // by name, and some classes sort before their supertypes)
    assertThat(inSetSupertypes).isGreaterThan(3);
  }

  private static List<String> supertypes(byte[] bytes) {
    ClassReader header = new ClassReader(bytes);
    List<String> out = new ArrayList<>();
    if (header.getSuperName() != null) {
      out.add(header.getSuperName().replace('/', '.'));
    }
    for (String type : header.getInterfaces()) {
      out.add(type.replace('/', '.'));
    }
    return out;
  }

  /** agent-core's compiled classes, as the nested jar holds them (from the test class path's copy). */
  private static Map<String, byte[]> agentCoreClasses() throws IOException, URISyntaxException {
    Path root = Path.of(CallSite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> classes = new TreeMap<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          String rel = root.relativize(f).toString().replace('\\', '/');
          classes.put(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'), Files.readAllBytes(f));
        }
      }
    } else {
      try (JarFile jar = new JarFile(root.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
            String n = e.getName();
            classes.put(n.substring(0, n.length() - ".class".length()).replace('/', '.'),
                jar.getInputStream(e).readAllBytes());
          }
        }
      }
    }
    assertThat(classes).as("agent-core classes under %s", root).containsKey(CallSite.class.getName());
    return classes;
  }
}
