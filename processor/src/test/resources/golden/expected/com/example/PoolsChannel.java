package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Opens {@code path} for reading.
 *
 * <p>Asynchronous context manager generated from {@link Pools#channel(Path, AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.channel")
public final class PoolsChannel extends AsyncGenerator<AsynchronousFileChannel> {
  /** The method's {@code path} argument. */
  private final Path path;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param path the file
   */
  private PoolsChannel(Path path) {
    super("Pools.channel");
    this.path = path;
  }

  /**
   * Returns a new manager that runs {@link Pools#channel(Path, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param path the file
   * @return a new manager, not yet entered
   */
  public static PoolsChannel of(Path path) {
    return new PoolsChannel(path);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<AsynchronousFileChannel> yield)
      throws IOException {
    return Pools.channel(this.path, yield);
  }
}
