package dev.racetrace.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomBytesTest {
  @Test
  void aControlTokenIs128BitsInLowerCaseHexAndNeverRepeats() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = RandomBytes.hex(16);
      assertThat(token).matches("[0-9a-f]{32}");
      assertThat(seen.add(token)).as("token %s repeated", token).isTrue();
    }
  }

  @Test
  void hexKeepsLeadingZerosAndHighBits() {
    assertThat(RandomBytes.toHex(new byte[] {0x00, 0x0f, (byte) 0xf0, (byte) 0xff, 0x7a})).isEqualTo("000ff0ff7a");
  }

  @Test
  void aDeviceThatIsMissingOrShortIsNotUsed(@TempDir Path dir) throws Exception {
    assertThat(RandomBytes.readFrom(dir.resolve("missing").toString(), new byte[16])).isFalse();
    Path shortFile = Files.write(dir.resolve("short"), new byte[3]);
    assertThat(RandomBytes.readFrom(shortFile.toString(), new byte[16])).isFalse();
  }

  @Test
  void aTempFileIsNewEmptyAndOwnerOnlyInTheTemporaryDirectory(@TempDir Path dir) throws Exception {
    String tmpdir = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", dir.toString());
    try {
      Path a = RandomBytes.tempFile("racetrace-test-", ".jar");
      Path b = RandomBytes.tempFile("racetrace-test-", ".jar");
      assertThat(a).isNotEqualTo(b).hasParent(dir);
      assertThat(a.getFileName().toString()).matches("racetrace-test-[0-9a-f]{16}\\.jar");
      assertThat(Files.size(a)).isZero();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
    } finally {
      System.setProperty("java.io.tmpdir", tmpdir);
    }
  }
}
