package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Connection pools as context managers. */
public final class Pools {
  /** Not instantiated. */
  private Pools() {}

  /**
   * Leases a connection from {@code pool} and returns it once the block has finished.
   *
   * @param pool the pool to lease from
   * @param yield hands the connection to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager
  public static CompletionStage<Void> lease(ConnectionPool pool, AsyncYield<Connection> yield) {
    return pool.acquire()
        .thenCompose(conn -> yield.yield(conn).whenComplete((v, failure) -> pool.release(conn)));
  }

  /**
   * Runs the block in a transaction on a connection from {@code db}. Its Python twin:
   *
   * <pre>{@code
   * @contextmanager
   * def tx(db):
   *     connection = db.acquire(options={"isolation": {"level": "serializable"}})
   *     try:
   *         yield connection
   *     finally:
   *         db.release(connection)
   * }</pre>
   *
   * <p>In Java it is annotated {@literal @}AsyncContextManager, and {@code @param} is written
   * {@literal @}param, even at the start of a line:
   * {@literal @}param is text here.
   *
   * @param db the pool the connection comes from, and goes back to once the block has
   *     finished, normally or not
   * @param yield hands the connection to the block
   * @throws Exception if the block fails
   */
  @AsyncContextManager
  public static void tx(ConnectionPool db, Yield<Connection> yield) throws Exception {
    Connection connection = db.acquire().toCompletableFuture().join();
    try {
      yield.yield(connection);
    } finally {
      db.release(connection);
    }
  }

  /**
   * Hands the block the first of {@code extra}, or else of {@code sorted}.
   *
   * @param <T> the type of the elements
   * @param sorted the elements, sorted
   * @param yield hands the element to the block
   * @param extra elements that come first
   * @return the stage of the teardown
   */
  @AsyncContextManager
  @SafeVarargs
  public static <T extends Comparable<? super T>> CompletableFuture<Void> firstOf(
      List<T> sorted, AsyncYield<T> yield, T... extra) {
    return yield.yield(extra.length > 0 ? extra[0] : sorted.get(0)).toCompletableFuture();
  }

  /**
   * Opens {@code path} for reading.
   *
   * @param path the file
   * @param yield hands the channel to the block
   * @return the stage of the teardown
   * @throws IOException if the file cannot be opened
   */
  @AsyncContextManager
  public static CompletionStage<Void> channel(Path path, AsyncYield<AsynchronousFileChannel> yield)
      throws IOException {
    AsynchronousFileChannel channel = AsynchronousFileChannel.open(path);
    return yield.yield(channel).whenComplete((v, failure) -> close(channel));
  }

  /**
   * Closes a channel, rethrowing a failure unchecked.
   *
   * @param channel the channel
   */
  private static void close(AsynchronousFileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Leases a connection under another name.
   *
   * @param pool the pool to lease from
   * @param yield hands the connection to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager(name = "Checkout")
  public static CompletionStage<Void> checkOut(ConnectionPool pool, AsyncYield<Connection> yield) {
    return lease(pool, yield);
  }

  /**
   * Leases a connection, for this package only.
   *
   * @param pool the pool to lease from
   * @param yield hands the connection to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager
  static CompletionStage<Void> internal(ConnectionPool pool, AsyncYield<Connection> yield) {
    return lease(pool, yield);
  }
}
