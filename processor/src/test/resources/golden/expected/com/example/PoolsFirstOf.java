package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncWithGenerated;
import java.lang.Comparable;
import java.lang.Override;
import java.lang.SafeVarargs;
import java.lang.SuppressWarnings;
import java.util.List;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Asynchronous context manager generated from {@link Pools#firstOf(List, AsyncYield, Comparable[])}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(
    from = "Pools.firstOf"
)
public final class PoolsFirstOf<T extends Comparable<? super T>> extends AsyncGenerator<T> implements AsyncResource<T> {
  private final List<T> sorted;

  private final T[] extra;

  private PoolsFirstOf(List<T> sorted, T[] extra) {
    super("Pools.firstOf");
    this.sorted = sorted;
    this.extra = extra;
  }

  /**
   * Returns a new manager that runs {@link Pools#firstOf(List, AsyncYield, Comparable[])}
   * with these arguments once entered. An instance is single-use.
   *
   * @param sorted the method's {@code sorted} argument
   * @param extra the method's {@code extra} argument
   * @return a new manager, not yet entered
   */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T extends Comparable<? super T>> PoolsFirstOf<T> of(List<T> sorted, T... extra) {
    return new PoolsFirstOf<>(sorted, extra);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<T> yield) {
    return Pools.<T>firstOf(this.sorted, yield, this.extra);
  }
}
