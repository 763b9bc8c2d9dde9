package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;

import java.io.PrintStream;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads files asynchronously through {@code AsyncFilesOpen}, the manager generated from
 * {@link AsyncFiles#open}: with a small buffer, so that each file takes many reads, some of them
 * partial; then shows that the channel is closed when the block fails, and that a file that
 * cannot be opened fails the statement before the block runs.
 *
 * <p>Without arguments it reads a file it writes to a temporary folder (and deletes afterwards);
 * given paths, it reads those.
 */
public final class FileReading implements Sample {

  /** Deliberately small, so that a file takes many reads. */
  static final int BUFFER_SIZE = 64;

  /** Creates the sample. */
  public FileReading() {}

  @Override
  public String name() {
    return "file-reading";
  }

  @Override
  public String summary() {
    return "reads files with AsynchronousFileChannel through a generated manager that always closes it";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    if (!args.isEmpty()) {
      for (String path : args) {
        read(Path.of(path), out);
      }
      return;
    }
    Path folder = Files.createTempDirectory("asyncwith-file-reading");
    try {
      Path poem = Files.writeString(folder.resolve("poem.txt"), samplePoem(), StandardCharsets.UTF_8);
      read(poem, out);
      failInsideTheBlock(poem, out);
      openMissingFile(folder.resolve("missing.txt"), out);
    } finally {
      Files.deleteIfExists(folder.resolve("poem.txt"));
      Files.delete(folder);
    }
  }

  /** Reads {@code path} whole and reports what was read and that the channel is closed. */
  static void read(Path path, PrintStream out) throws Exception {
    out.println("-- reading " + path.getFileName() + " with a buffer of " + BUFFER_SIZE + " bytes");
    AtomicReference<AsynchronousFileChannel> used = new AtomicReference<>();
    AsyncFiles.Contents contents =
        await(
            AsyncFilesOpen.of(path)
                .use(
                    channel -> {
                      used.set(channel);
                      return AsyncFiles.readAll(channel, BUFFER_SIZE);
                    }));
    // Decoded only once every byte is in: a character of several bytes may straddle two reads.
    String text = new String(contents.bytes(), StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    out.println("read " + contents.bytes().length + " bytes in " + contents.reads() + " reads");
    out.println(lines.size() + " lines; the first: " + (lines.isEmpty() ? "(none)" : lines.get(0)));
    out.println("channel open after the statement: " + used.get().isOpen());
    check(contents.bytes().length == Files.size(path), "every byte of the file is read");
    check(!used.get().isOpen(), "the channel is closed after the statement");
  }

  /** A block that fails after reading: the failure reaches the caller, the channel closes. */
  private static void failInsideTheBlock(Path path, PrintStream out) throws Exception {
    out.println("-- a block that fails after reading");
    AtomicReference<AsynchronousFileChannel> used = new AtomicReference<>();
    try {
      await(
          AsyncFilesOpen.of(path)
              .use(
                  channel -> {
                    used.set(channel);
                    return AsyncFiles.readAll(channel, BUFFER_SIZE)
                        .thenApply(
                            contents -> {
                              throw new IllegalStateException("the block gave up after reading");
                            });
                  }));
      check(false, "the block's failure reaches the caller");
    } catch (IllegalStateException expected) {
      out.println("caller saw " + expected);
    }
    out.println("channel open after the statement: " + used.get().isOpen());
    check(!used.get().isOpen(), "the channel is closed after a failed block");
  }

  /** A file that does not exist: enter fails, the block never runs, there is nothing to close. */
  private static void openMissingFile(Path missing, PrintStream out) throws Exception {
    out.println("-- a file that does not exist");
    try {
      await(
          AsyncFilesOpen.of(missing)
              .use(
                  channel -> {
                    out.println("never printed: the block does not run");
                    return CompletableFuture.completedFuture(null);
                  }));
      check(false, "opening a missing file fails the statement");
    } catch (NoSuchFileException expected) {
      out.println("caller saw NoSuchFileException for " + Path.of(expected.getFile()).getFileName());
    }
  }

  /** Forty lines with characters of two and three bytes in UTF-8, some across read boundaries. */
  static String samplePoem() {
    StringBuilder poem = new StringBuilder();
    for (int line = 1; line <= 40; line++) {
      poem.append("line ").append(line).append(": naïve café, Grüße aus Zürich, 東京へようこそ\n");
    }
    return poem.toString();
  }
}
