package dev.racetrace.analyzer.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns the command line's file and directory arguments into the span files to read. */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Expands {@code paths}: a file is taken as given (any name); a directory contributes every
   * {@code *.jsonl} and {@code *.jsonl.gz} file below it, in name order.
   *
   * @throws InputException if a path does not exist or a directory holds no span file
   */
  public static List<Path> expand(List<Path> paths) throws InputException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        files.add(path);
      } else if (Files.isDirectory(path)) {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(path)) {
          found = walk.filter(Files::isRegularFile)
              .filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".jsonl") || n.endsWith(".jsonl.gz");
              })
              .sorted()
              .collect(Collectors.toList());
        } catch (IOException e) {
          throw new InputException(path, 0, "cannot list directory: " + e, e);
        }
        if (found.isEmpty()) {
          throw new InputException(path, 0, "no *.jsonl span files in this directory");
        }
        files.addAll(found);
      } else {
        throw new InputException(path, 0, "no such file or directory");
      }
    }
    return files;
  }
}
