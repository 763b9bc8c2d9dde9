package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import javax.annotation.processing.Generated;

/**
 * Hands the block the first of {@code extra}, or else of {@code sorted}.
 *
 * <p>Asynchronous context manager generated from
 * {@link Pools#firstOf(List, AsyncYield, Comparable[])}.
 *
 * @param <T> the type of the elements
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.firstOf")
public final class PoolsFirstOf<T extends Comparable<? super T>> extends AsyncGenerator<T> {
  /** The method's {@code sorted} argument. */
  private final List<T> sorted;

  /** The method's {@code extra} argument. */
  private final T[] extra;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param sorted the elements, sorted
   * @param extra elements that come first
   */
  private PoolsFirstOf(List<T> sorted, Supplier<T[]> extra) {
    super("Pools.firstOf");
    this.sorted = sorted;
    this.extra = extra.get();
  }

  /**
   * Returns a new manager that runs {@link Pools#firstOf(List, AsyncYield, Comparable[])}
   * with these arguments once entered. An instance is single-use.
   *
   * @param <T> the type of the elements
   * @param sorted the elements, sorted
   * @param extra elements that come first
   * @return a new manager, not yet entered
   */
  @SafeVarargs
  public static <T extends Comparable<? super T>> PoolsFirstOf<T> of(List<T> sorted, T... extra) {
    return new PoolsFirstOf<>(sorted, () -> extra);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<T> yield) {
    return Pools.<T>firstOf(this.sorted, yield, this.extra);
  }
}
