package dev.racetrace.analyzer.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads span files into one {@link SpanStore}, several at a time on {@code executor}: each file,
 * or each slice of a large JSON lines file ({@link FileSlices}), is streamed by one thread with
 * its own reader; the results are merged in file order, so they do not depend on which read
 * finished first.
 */
public final class SpanLoader {
  private SpanLoader() {}

  /**
   * @param files the files, in the order they are merged
   * @param keyFilter keep only this key (and keyless spans), or null
   * @param executor runs the reads; the caller owns it
   * @param threads how many threads {@code executor} has (large files are cut into as many slices)
   * @throws InputException the first failure in file order
   */
  public static SpanStore load(List<Path> files, String keyFilter, ExecutorService executor,
      int threads) throws InputException {
    return load(files, keyFilter, executor, threads, FileSlices.MIN_SLICE);
  }

  /** As {@link #load(List, String, ExecutorService, int)}, cutting files into slices of at least
   * {@code minSlice} bytes (visible for testing). */
  static SpanStore load(List<Path> files, String keyFilter, ExecutorService executor,
      int threads, long minSlice) throws InputException {
    List<Future<SpanStore>> reads = new ArrayList<>();
    List<Path> fileOf = new ArrayList<>();
    List<Long> startOf = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Path f : files) {
      List<long[]> slices;
      long size;
      try {
        slices = FileSlices.of(f, threads, minSlice);
        size = Files.size(f);
      } catch (IOException e) {
        throw new InputException(f, 0, "cannot read: " + e, e);
      }
      long readable = slices.get(slices.size() - 1)[1];
      if (readable < size) {
        notes.add(f + ": ignored an incomplete last line (" + (size - readable) + " bytes): the file "
            + "was still being written, or its process was killed while writing");
      }
      for (long[] slice : slices) {
        boolean whole = slices.size() == 1 && slice[1] == size;
        reads.add(executor.submit(() -> {
          SpanStore store = new SpanStore(keyFilter);
          SpanFileReader reader = new SpanFileReader(new Interner());
          if (whole) {
            reader.read(f, store);
          } else {
            reader.read(f, slice[0], slice[1], store);
          }
          return store;
        }));
        fileOf.add(f);
        startOf.add(whole ? 0L : slice[0]);
      }
    }
    SpanStore all = new SpanStore(keyFilter);
    notes.forEach(all::note);
    InputException failure = null;
    for (int i = 0; i < reads.size(); i++) {
      try {
        SpanStore one = reads.get(i).get();
        if (failure == null) {
          all.addAll(one);
        }
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = located(e.getCause(), fileOf.get(i), startOf.get(i));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InputException(fileOf.get(i), 0, "interrupted while reading", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return all;
  }

  /**
   * Runs {@code producers} on {@code executor}, each into its own store, and merges the stores in
   * the order given (as span files are merged).
   *
   * @throws InputException the first failure in that order
   */
  public static SpanStore produce(List<SpanProducer> producers, String keyFilter,
      ExecutorService executor) throws InputException {
    List<Future<SpanStore>> runs = new ArrayList<>();
    for (SpanProducer p : producers) {
      runs.add(executor.submit(() -> {
        SpanStore store = new SpanStore(keyFilter);
        try {
          p.produce(new SpanFeed(store, p.fallbackNode()));
        } catch (IllegalArgumentException e) {
          throw new InputException(p.source(), e.getMessage(), e);
        }
        return store;
      }));
    }
    SpanStore all = new SpanStore(keyFilter);
    InputException failure = null;
    for (int i = 0; i < runs.size(); i++) {
      try {
        SpanStore one = runs.get(i).get();
        if (failure == null) {
          all.addAll(one);
        }
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof InputException ? (InputException) e.getCause()
              : new InputException(producers.get(i).source(), "cannot read: " + e.getCause(),
                  e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InputException(producers.get(i).source(), "interrupted while reading", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return all;
  }

  private static InputException located(Throwable cause, Path file, long sliceStart) {
    if (!(cause instanceof InputException)) {
      return new InputException(file, 0, "cannot read: " + cause, cause);
    }
    InputException e = (InputException) cause;
    if (sliceStart == 0) {
      return e;
    }
    try {
      return e.shifted(FileSlices.linesBefore(file, sliceStart));
    } catch (IOException io) {
      return e;
    }
  }
}
