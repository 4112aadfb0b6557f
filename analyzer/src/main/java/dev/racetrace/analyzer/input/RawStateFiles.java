package dev.racetrace.analyzer.input;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the {@code --raw} arguments into the raw state files to read: every one is read and
 * merged (one file per node is the usual case), never the last one winning.
 */
public final class RawStateFiles {
  private RawStateFiles() {}

  /**
   * Expands {@code paths}: a file is taken as given; a directory contributes every
   * {@code *.json} file directly in it, in name order.
   *
   * @throws InputException if a path does not exist or a directory holds no {@code *.json} file
   */
  public static List<Path> expand(List<Path> paths) throws InputException {
    return InputFiles.expand(paths, false, n -> n.endsWith(".json"),
        "no *.json raw state files in this directory");
  }

  /**
   * Reads every raw state file {@code paths} names and merges the entries, in order. Two files
   * that give one node different values for a key, neither with a version to choose by, are
   * named in {@code warnings} (the later file's value is used).
   *
   * @throws InputException naming the file and line of a bad entry, or a missing path
   */
  public static List<RawStateEntry> readAll(List<Path> paths, List<String> warnings)
      throws InputException {
    List<RawStateEntry> all = new ArrayList<>();
    RawStateReader reader = new RawStateReader();
    Map<String, Path> fileOf = new HashMap<>();
    Map<String, RawStateEntry> entryOf = new HashMap<>();
    for (Path file : expand(paths)) {
      for (RawStateEntry e : reader.read(file)) {
        String id = e.node() + '\u0000' + e.key();
        RawStateEntry before = entryOf.put(id, e);
        Path beforeFile = fileOf.put(id, file);
        if (before != null && !beforeFile.equals(file) && before.version() == null
            && e.version() == null && !Objects.equals(before.value(), e.value())) {
          warnings.add("raw state: " + e.node() + " " + e.key() + " differs between "
              + beforeFile.getFileName() + " and " + file.getFileName() + " and has no"
              + " version to choose by; the value in " + file.getFileName() + " is used");
        }
        all.add(e);
      }
    }
    return all;
  }
}
