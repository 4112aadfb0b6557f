package dev.racetrace.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestClassPathTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty("java.class.path");
  }

  @AfterEach
  void restore() {
    System.setProperty("java.class.path", saved);
  }

  @Test
  void aManifestOnlyJarIsExpandedToItsClassPath(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lib"));
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar lib/classes/");
    Path booter = dir.resolve("booter.jar");
    try (OutputStream o = Files.newOutputStream(booter); JarOutputStream j = new JarOutputStream(o, m)) {
      j.flush();
    }
    System.setProperty("java.class.path", booter + java.io.File.pathSeparator + "/other/x.jar");
    assertThat(TestClassPath.current()).containsExactly(dir.resolve("lib/a.jar").toString(),
        dir.resolve("lib/classes").toString(), "/other/x.jar");
  }
}
