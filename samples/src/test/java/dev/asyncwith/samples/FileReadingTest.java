package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadingTest {

  @TempDir Path folder;

  @Test
  void readsAFileGivenOnTheCommandLineWholeAndClosesTheChannel() throws Exception {
    String poem = FileReading.samplePoem();
    Path file = Files.writeString(folder.resolve("poem.txt"), poem, StandardCharsets.UTF_8);
    int size = poem.getBytes(StandardCharsets.UTF_8).length;
    Output output = new Output();

    new FileReading().run(output.stream(), List.of(file.toString()));

    assertEquals(
        List.of(
            "-- reading poem.txt with a buffer of 64 bytes",
            "read " + size + " bytes in " + ((size + 63) / 64) + " reads",
            "40 lines; the first: line 1: naïve café, Grüße aus Zürich, 東京へようこそ",
            "channel open after the statement: false"),
        output.lines());
  }

  @Test
  void theDefaultRunReadsFailsAndMissesAFileThenDeletesWhatItWrote() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = sampleFolders(tmp);
    Output output = new Output();

    new FileReading().run(output.stream(), List.of());

    List<String> lines = output.lines();
    assertEquals(9, lines.size(), output.text());
    assertEquals("-- reading poem.txt with a buffer of 64 bytes", lines.get(0));
    assertTrue(lines.get(1).matches("read \\d+ bytes in \\d+ reads"), lines.get(1));
    assertEquals(
        List.of(
            "channel open after the statement: false",
            "-- a block that fails after reading",
            "caller saw java.lang.IllegalStateException: the block gave up after reading",
            "channel open after the statement: false",
            "-- a file that does not exist",
            "caller saw NoSuchFileException for missing.txt"),
        lines.subList(3, 9));
    assertEquals(before, sampleFolders(tmp), "the temporary folder is deleted");
  }

  @Test
  void partialReadsAnywhereInTheFileAreContinuedWhereTheyStopped() throws Exception {
    byte[] content = new byte[1000];
    new Random(42).nextBytes(content);
    Path file = Files.write(folder.resolve("random.bin"), content);

    // Each read returns at most 3 bytes, however much room the buffer has.
    AsyncFiles.Contents contents;
    try (AsynchronousFileChannel channel =
        new TricklingChannel(AsynchronousFileChannel.open(file, StandardOpenOption.READ), 3)) {
      contents = AsyncFiles.readAll(channel, 64).get(10, TimeUnit.SECONDS);
    }

    assertArrayEquals(content, contents.bytes());
    assertEquals(334, contents.reads(), "1000 bytes at most 3 at a time");
  }

  @Test
  void theGeneratedManagerReadsEveryByteAndClosesTheChannel() throws Exception {
    byte[] content = new byte[10_000];
    new Random(7).nextBytes(content);
    Path file = Files.write(folder.resolve("random.bin"), content);
    AtomicReference<AsynchronousFileChannel> used = new AtomicReference<>();

    AsyncFiles.Contents contents =
        AsyncFilesOpen.of(file)
            .use(
                channel -> {
                  used.set(channel);
                  return AsyncFiles.readAll(channel, 7);
                })
            .get(10, TimeUnit.SECONDS);

    assertArrayEquals(content, contents.bytes());
    assertFalse(used.get().isOpen());
  }

  @Test
  void anEmptyFileTakesNoRead() throws Exception {
    Path file = Files.createFile(folder.resolve("empty.txt"));

    AsyncFiles.Contents contents =
        AsyncFilesOpen.of(file).use(channel -> AsyncFiles.readAll(channel, 64)).get(10, TimeUnit.SECONDS);

    assertEquals(0, contents.bytes().length);
    assertEquals(0, contents.reads());
  }

  @Test
  void theChannelIsClosedWhenTheBlockFailsAndTheCallerSeesThatFailure() throws Exception {
    Path file = Files.writeString(folder.resolve("a.txt"), "some text");
    AtomicReference<AsynchronousFileChannel> used = new AtomicReference<>();
    IllegalStateException failure = new IllegalStateException("block failed");

    CompletableFuture<Object> statement =
        AsyncFilesOpen.of(file)
            .use(
                channel -> {
                  used.set(channel);
                  throw failure;
                });

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> statement.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertFalse(used.get().isOpen());
  }

  @Test
  void aMissingFileFailsTheStatementBeforeTheBlockRuns() {
    AtomicBoolean blockRan = new AtomicBoolean();

    CompletableFuture<Object> statement =
        AsyncFilesOpen.of(folder.resolve("missing.txt"))
            .use(
                channel -> {
                  blockRan.set(true);
                  return CompletableFuture.completedFuture(null);
                });

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> statement.get(10, TimeUnit.SECONDS));
    assertInstanceOf(NoSuchFileException.class, thrown.getCause());
    assertFalse(blockRan.get());
  }

  private static List<Path> sampleFolders(Path tmp) throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries
          .filter(entry -> entry.getFileName().toString().startsWith("asyncwith-file-reading"))
          .sorted()
          .toList();
    }
  }

  /**
   * A channel whose reads return at most {@code most} bytes each, as a real channel may at any
   * point of a file: the partial reads the sample must continue.
   */
  private static final class TricklingChannel extends AsynchronousFileChannel {
    private final AsynchronousFileChannel delegate;
    private final int most;

    TricklingChannel(AsynchronousFileChannel delegate, int most) {
      this.delegate = delegate;
      this.most = most;
    }

    @Override
    public <A> void read(
        ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
      ByteBuffer window = dst.duplicate();
      window.limit(Math.min(dst.limit(), dst.position() + most));
      delegate.read(
          window,
          position,
          attachment,
          new CompletionHandler<Integer, A>() {
            @Override
            public void completed(Integer count, A a) {
              if (count > 0) {
                dst.position(dst.position() + count);
              }
              handler.completed(count, a);
            }

            @Override
            public void failed(Throwable failure, A a) {
              handler.failed(failure, a);
            }
          });
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <A> void lock(
        long position, long size, boolean shared, A attachment, CompletionHandler<FileLock, ? super A> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <A> void write(
        ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
