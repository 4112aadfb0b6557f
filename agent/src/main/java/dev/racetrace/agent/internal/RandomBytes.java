package dev.racetrace.agent.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Unpredictable bytes for what the agent makes at every start: the control token and the name of
 * the temporary file agent-core is extracted to. They come from {@code /dev/urandom} where there is
 * one, the kernel's generator that {@link SecureRandom}'s default reads on Linux and macOS too,
 * without initializing the JDK's security providers first (about 25 ms of CPU and some 60 classes,
 * at every start of every JVM racetrace is attached to). Elsewhere, or should the device not give
 * the bytes, {@link SecureRandom} makes them.
 */
public final class RandomBytes {
  private static final String URANDOM = "/dev/urandom";
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final int NAME_ATTEMPTS = 16;

  private RandomBytes() {}

  /** {@code n} random bytes as {@code 2n} lower-case hex digits. */
  public static String hex(int n) {
    byte[] b = new byte[n];
    if (!readFrom(URANDOM, b)) {
      new SecureRandom().nextBytes(b);
    }
    return toHex(b);
  }

  /**
   * A new empty file {@code <prefix><random><suffix>} in {@code java.io.tmpdir}, {@code rw-------},
   * as {@link Files#createTempFile(String, String, FileAttribute[])} makes it: created exclusively
   * ({@code O_CREAT|O_EXCL}), so never an existing file or a link someone planted, and with a name
   * no one can guess.
   */
  public static Path tempFile(String prefix, String suffix) throws IOException {
    String tmpdir = System.getProperty("java.io.tmpdir");
    if (tmpdir != null) {
      Path dir = Path.of(tmpdir);
      for (int i = 0; i < NAME_ATTEMPTS; i++) {
        try {
          return Files.createFile(dir.resolve(prefix + hex(8) + suffix), OWNER_ONLY);
        } catch (FileAlreadyExistsException taken) {
          // another name
        } catch (UnsupportedOperationException notPosix) {
          break;
        }
      }
    }
    return Files.createTempFile(prefix, suffix); // not POSIX, or names kept clashing: the JDK's way
  }

  /** Whether {@code device} filled {@code b} completely. */
  static boolean readFrom(String device, byte[] b) {
    try (InputStream in = new FileInputStream(device)) {
      return in.readNBytes(b, 0, b.length) == b.length;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  static String toHex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return sb.toString();
  }
}
