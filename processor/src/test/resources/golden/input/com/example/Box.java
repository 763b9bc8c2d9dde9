package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

public final class Box<T extends Comparable<T>> {
  private final T content;

  public Box(T content) {
    this.content = content;
  }

  /** Opens the box on {@code seed}. */
  @AsyncContextManager
  public <R extends T> CompletionStage<Void> open(R seed, AsyncYield<R> yield) {
    return seed.compareTo(content) >= 0 ? yield.yield(seed) : yield.yield(seed);
  }
}
