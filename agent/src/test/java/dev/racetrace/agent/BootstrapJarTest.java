package dev.racetrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapJarTest {
  @Test
  void onHotSpotTheExtractedJarGoesAtOnce(@TempDir Path dir) throws Exception {
    Path openJdk = Files.createFile(dir.resolve("a.jar"));
    Path oracle = Files.createFile(dir.resolve("b.jar"));
    BootstrapJar.deleteNowOrAtExit(openJdk, "OpenJDK 64-Bit Server VM");
    BootstrapJar.deleteNowOrAtExit(oracle, "Java HotSpot(TM) 64-Bit Server VM");
    assertThat(openJdk).doesNotExist();
    assertThat(oracle).doesNotExist();
  }

  @Test
  void onAnotherVmItStaysUntilExit(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("c.jar"));
    BootstrapJar.deleteNowOrAtExit(jar, "Eclipse OpenJ9 VM");
    assertThat(jar).exists();
  }
}
