package dev.asyncwith.samples;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous file reading, the Java counterpart of Python's {@code aiofiles}:
 *
 * <pre>{@code
 * async with aiofiles.open(path) as file:      // AsyncFilesOpen.of(path).use(channel ->
 *     contents = await file.read()             //     AsyncFiles.readAll(channel, 8192))
 * }</pre>
 */
public final class AsyncFiles {

  private AsyncFiles() {}

  /**
   * Opens {@code path} for reading, hands the channel to the block, and closes it however the
   * block ends. Generated into {@code AsyncFilesOpen}.
   *
   * @param path the file to read
   * @param yield hands the open channel to the block
   * @return a stage that completes once the channel is closed; if closing fails after a block
   *     that failed, the close failure is attached to the block's failure as suppressed
   * @throws IOException if the file cannot be opened; the statement then fails with it, and the
   *     block never runs
   */
  @AsyncContextManager
  public static CompletionStage<Void> open(Path path, AsyncYield<AsynchronousFileChannel> yield)
      throws IOException {
    // Opening is a quick system call; the reads are what run asynchronously.
    AsynchronousFileChannel channel = AsynchronousFileChannel.open(path, StandardOpenOption.READ);
    return yield.yield(channel).whenComplete((ignored, failure) -> close(channel));
  }

  /**
   * Reads everything from {@code channel}, from its start to its end, at most {@code bufferSize}
   * bytes per read.
   *
   * <p>A read may return fewer bytes than asked for, anywhere in the file, not just at its end;
   * each read continues at the position where the previous one stopped, and only a read that
   * returns {@code -1} ends the loop. Each read's completion starts the next, on the channel's
   * thread pool, so the loop never grows the stack and never blocks a thread.
   *
   * @param channel an open channel
   * @param bufferSize the largest number of bytes one read asks for; positive
   * @return a future of what was read; cancelling it stops the loop after the read in flight
   */
  public static CompletableFuture<Contents> readAll(AsynchronousFileChannel channel, int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
    }
    ReadLoop loop = new ReadLoop(channel, bufferSize);
    loop.readNext();
    return loop.result;
  }

  /**
   * What {@link #readAll} read.
   *
   * @param bytes every byte of the file, in order
   * @param reads how many reads returned data; more than {@code bytes.length / bufferSize} when
   *     some reads returned less than a full buffer
   */
  public record Contents(byte[] bytes, int reads) {}

  private static void close(AsynchronousFileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@link #readAll} in progress: the handler of each read, which starts the next. */
  private static final class ReadLoop implements CompletionHandler<Integer, Void> {
    private final AsynchronousFileChannel channel;
    private final ByteBuffer buffer;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Contents> result = new CompletableFuture<>();
    private long position;
    private int reads;

    ReadLoop(AsynchronousFileChannel channel, int bufferSize) {
      this.channel = channel;
      this.buffer = ByteBuffer.allocate(bufferSize);
    }

    void readNext() {
      if (result.isDone()) {
        return; // cancelled by the caller: read no further
      }
      buffer.clear();
      try {
        channel.read(buffer, position, null, this);
      } catch (RuntimeException e) { // a closed or unreadable channel is reported at once
        result.completeExceptionally(e);
      }
    }

    @Override
    public void completed(Integer count, Void attachment) {
      if (count < 0) {
        result.complete(new Contents(bytes.toByteArray(), reads));
        return;
      }
      reads++;
      // Take exactly the bytes this read returned (possibly fewer than the buffer holds).
      bytes.write(buffer.array(), 0, count);
      position += count;
      readNext();
    }

    @Override
    public void failed(Throwable failure, Void attachment) {
      result.completeExceptionally(failure);
    }
  }
}
