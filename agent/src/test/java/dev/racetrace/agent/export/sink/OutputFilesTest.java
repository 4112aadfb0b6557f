package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.racetrace.agent.export.journal.JournalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
  @TempDir Path tmp;
  private Path out;

  @BeforeEach
  void privateDirectory() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    out = Files.createDirectory(tmp.resolve("out"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
  }

  private static void write(OutputFiles.Opened o, String text) throws IOException {
    try (o.channel) {
      o.channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void aSymlinkPlantedAtTheComingNameIsNeitherFollowedNorReplaced() throws IOException {
    Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
    Path name = out.resolve("Main-vm_42-42.jsonl");
    Files.createSymbolicLink(name, victim);
    Files.createSymbolicLink(out.resolve("Main-vm_42-42-1.jsonl"), victim);

    OutputFiles.Opened o = OutputFiles.create(name);
    write(o, "{}\n");

    assertThat(o.path).isEqualTo(out.resolve("Main-vm_42-42-2.jsonl"));
    assertThat(Files.readString(o.path)).isEqualTo("{}\n");
    assertThat(Files.readString(victim)).isEqualTo("precious\n");
    assertThat(Files.isSymbolicLink(name)).isTrue();
  }

  @Test
  void filesAreCreatedReadableByTheOwnerOnly() throws IOException {
    OutputFiles.Opened o = OutputFiles.create(out.resolve("a.jsonl"));
    write(o, "x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(o.path))).isEqualTo("rw-------");
  }

  @Test
  void directoriesRacetraceCreatesArePrivate() throws IOException {
    OutputFiles.Opened o = OutputFiles.create(out.resolve("new/deeper/a.jsonl"));
    write(o, "x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("new/deeper"))))
        .isEqualTo("rwx------");
  }

  @Test
  void aDirectoryOthersCanWriteIsRefusedInOneLine() throws IOException {
    Path hostile = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(hostile, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> OutputFiles.create(hostile.resolve("a.jsonl")))
        .isInstanceOf(OutputFiles.Refused.class)
        .hasToString("racetrace.out=" + hostile + ": writable by other users (mode 777, not sticky); refusing to "
            + "write there (use a directory only you can write to)");
    assertThat(hostile).isEmptyDirectory();
  }

  @Test
  void aStickyDirectoryOwnedByTheUserIsAccepted() throws IOException {
    Path sticky = Files.createDirectory(tmp.resolve("sticky"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    OutputFiles.Opened o = OutputFiles.create(sticky.resolve("a.jsonl"));
    write(o, "x");
    assertThat(o.path).exists();
  }

  @Test
  void aDirectoryLinkOwnedByAnotherUserIsRefused() throws IOException {
    assumeTrue(System.getProperty("user.name").equals("root"), "needs root to give a link away");
    UserPrincipal nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), out);
    Files.setAttribute(link, "posix:owner", nobody, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> OutputFiles.create(link.resolve("a.jsonl")))
        .isInstanceOf(OutputFiles.Refused.class)
        .hasToString("racetrace.out=" + link + ": a symbolic link owned by nobody, not by root; refusing to write there");
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void numberedNamesKeepTheExtension() {
    assertThat(OutputFiles.numbered(Path.of("/d/a.jsonl"), 3)).isEqualTo(Path.of("/d/a-3.jsonl"));
    assertThat(OutputFiles.numbered(Path.of("/d/a"), 1)).isEqualTo(Path.of("/d/a-1"));
  }

  @Test
  void theJournalIsCreatedLikeTheSpanFileNeverThroughALinkAndOwnerOnly() throws IOException {
    Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
    Path name = out.resolve("Main-vm_42-42.rtj");
    Files.createSymbolicLink(name, victim);
    JournalFile journal = new JournalFile(name);
    journal.write(ByteBuffer.wrap("chunk".getBytes(StandardCharsets.UTF_8)));
    journal.close();

    assertThat(journal.path()).isEqualTo(out.resolve("Main-vm_42-42-1.rtj"));
    assertThat(Files.readString(journal.path())).isEqualTo("chunk");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal.path()))).isEqualTo("rw-------");
    assertThat(Files.readString(victim)).isEqualTo("precious\n");
  }

  @Test
  void theJournalRefusesADirectoryOthersCanWriteTo() throws IOException {
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    JournalFile journal = new JournalFile(open.resolve("Main-vm_42-42.rtj"));
    assertThatThrownBy(() -> journal.write(ByteBuffer.wrap(new byte[] {1})))
        .isInstanceOf(OutputFiles.Refused.class).hasMessageContaining("writable by other users");
    assertThat(open.resolve("Main-vm_42-42.rtj")).doesNotExist();
  }
}
