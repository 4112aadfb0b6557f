package dev.racetrace.analyzer.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
    return expand(paths, true, n -> n.endsWith(".jsonl") || n.endsWith(".jsonl.gz"),
        "no *.jsonl span files in this directory");
  }

  /**
   * Expands {@code paths}: a file is taken as given (any name); a directory contributes the files
   * below it ({@code recursive}) or directly in it whose names {@code wanted} accepts, in name order.
   *
   * @param noneFound the error when a directory holds no such file
   * @throws InputException if a path does not exist or a directory holds no such file
   */
  static List<Path> expand(List<Path> paths, boolean recursive, Predicate<String> wanted,
      String noneFound) throws InputException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        files.add(path);
      } else if (Files.isDirectory(path)) {
        List<Path> found;
        try (Stream<Path> listed = recursive ? Files.walk(path) : Files.list(path)) {
          found = listed.filter(Files::isRegularFile)
              .filter(f -> wanted.test(f.getFileName().toString()))
              .sorted()
              .collect(Collectors.toList());
        } catch (IOException e) {
          throw new InputException(path, 0, "cannot list directory: " + e, e);
        }
        if (found.isEmpty()) {
          throw new InputException(path, 0, noneFound);
        }
        files.addAll(found);
      } else {
        throw new InputException(path, 0, "no such file or directory");
      }
    }
    return files;
  }
}
