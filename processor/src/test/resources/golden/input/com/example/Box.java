package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

/**
 * A box around a value.
 *
 * @param <T> the type of the value
 */
public final class Box<T extends Comparable<T>> {
  /** The value. */
  private final T content;

  /**
   * Creates a box.
   *
   * @param content the value
   */
  public Box(T content) {
    this.content = content;
  }

  /**
   * Opens the box on {@code seed}.
   *
   * @param <R> the type of the value handed to the block
   * @param seed the value handed to the block
   * @param yield hands {@code seed} to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager
  public <R extends T> CompletionStage<Void> open(R seed, AsyncYield<R> yield) {
    return seed.compareTo(content) >= 0 ? yield.yield(seed) : yield.yield(seed);
  }
}
