package dev.racetrace.agent.export.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Opens racetrace's output files so that no other user can turn them against the host (a process
 * run as root must not append span JSON to a file another user chose):
 * <ul>
 *   <li>the directory must not be writable by other users, unless it is sticky and owned by the
 *       current user, and must not be a symbolic link owned by another user;</li>
 *   <li>files are created exclusively ({@code CREATE_NEW}) and never through a symbolic link
 *       ({@code NOFOLLOW_LINKS}); when the name is taken, {@code name-1.jsonl}, {@code name-2.jsonl},
 *       ... are tried instead;</li>
 *   <li>files are created {@code rw-------} and directories racetrace creates {@code rwx------}:
 *       spans hold keys and thread names that are the application's business.</li>
 * </ul>
 * On file systems without POSIX attributes only the exclusive, no-follow creation applies.
 */
public final class OutputFiles {
  static final String FILE_PERMISSIONS = "rw-------";
  static final String DIR_PERMISSIONS = "rwx------";
  private static final int OTHERS_WRITE = 0002;
  private static final int STICKY = 01000;
  /** Names tried after the configured one is taken. */
  private static final int MAX_ALTERNATIVES = 100;

  /** A refusal: the output directory or file is not safe to write. One line, no stack trace. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }

  private OutputFiles() {}

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code file} (and its directories) for writing, or a sibling with a numbered name if
   * it exists; never follows a link at the file's name.
   *
   * @return the channel, positioned at 0, and the path actually created
   * @throws Refused when the directory is unsafe or no free name was found
   */
  public static Opened create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = posix(file.toAbsolutePath());
    if (dir != null) {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_PERMISSIONS)));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (posix) {
        checkDirectory(dir);
      }
    }
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_PERMISSIONS))}
        : new FileAttribute<?>[0];
    Path candidate = file;
    for (int i = 1; i <= MAX_ALTERNATIVES + 1; i++) {
      try {
        // CREATE_NEW fails on any existing name, a symbolic link included (O_CREAT|O_EXCL never follows)
        return new Opened(FileChannel.open(candidate, withNoFollow(options), attributes), candidate);
      } catch (FileAlreadyExistsException taken) {
        candidate = numbered(file, i);
      }
    }
    throw new Refused("racetrace.out: " + file + " and " + MAX_ALTERNATIVES + " numbered names next to it "
        + "already exist; not writing there");
  }

  private static Set<java.nio.file.OpenOption> withNoFollow(Set<StandardOpenOption> options) {
    Set<java.nio.file.OpenOption> all = new java.util.HashSet<>(options);
    all.add(LinkOption.NOFOLLOW_LINKS);
    return all;
  }

  /** {@code spans.jsonl} -> {@code spans-3.jsonl}. */
  static Path numbered(Path file, int n) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    return file.resolveSibling(numbered);
  }

  /** Refuses a directory another user could plant names in, or a link another user controls. */
  static void checkDirectory(Path dir) throws IOException {
    UserPrincipal me = currentUser(dir);
    PosixFileAttributes link = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (link.isSymbolicLink() && !isMeOrRoot(link.owner(), me)) {
      throw new Refused("racetrace.out=" + dir + ": a symbolic link owned by " + link.owner().getName()
          + ", not by " + me.getName() + "; refusing to write there");
    }
    PosixFileAttributes target = Files.readAttributes(dir, PosixFileAttributes.class);
    if (!target.isDirectory()) {
      throw new Refused("racetrace.out=" + dir + ": not a directory; not writing there");
    }
    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
    boolean othersWrite = (mode & OTHERS_WRITE) != 0;
    boolean sticky = (mode & STICKY) != 0;
    if (othersWrite && !(sticky && target.owner().equals(me))) {
      throw new Refused("racetrace.out=" + dir + ": writable by other users (mode "
          + Integer.toOctalString(mode & 07777) + (sticky ? ", owned by " + target.owner().getName() : ", not sticky")
          + "); refusing to write there (use a directory only you can write to)");
    }
  }

  private static boolean isMeOrRoot(UserPrincipal owner, UserPrincipal me) {
    return owner.equals(me) || owner.getName().equals("root");
  }

  private static UserPrincipal currentUser(Path dir) throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }

  /** A file racetrace created, and its channel. */
  public static final class Opened {
    public final FileChannel channel;
    public final Path path;

    Opened(FileChannel channel, Path path) {
      this.channel = channel;
      this.path = path;
    }
  }
}
