package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Opens the box on {@code seed}.
 *
 * <p>Asynchronous context manager generated from {@link Box#open(Comparable, AsyncYield)}.
 *
 * @param <T> the type of the value
 * @param <R> the type of the value handed to the block
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Box.open")
public final class BoxOpen<T extends Comparable<T>, R extends T> extends AsyncGenerator<R> {
  /** The object whose method is called. */
  private final Box<T> box;

  /** The method's {@code seed} argument. */
  private final R seed;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param box the object whose method is called
   * @param seed the value handed to the block
   */
  private BoxOpen(Box<T> box, R seed) {
    super("Box.open");
    this.box = box;
    this.seed = seed;
  }

  /**
   * Returns a new manager that runs {@link Box#open(Comparable, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param <T> the type of the value
   * @param <R> the type of the value handed to the block
   * @param box the object whose method is called
   * @param seed the value handed to the block
   * @return a new manager, not yet entered
   */
  public static <T extends Comparable<T>, R extends T> BoxOpen<T, R> of(Box<T> box, R seed) {
    return new BoxOpen<>(box, seed);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<R> yield) {
    return this.box.<R>open(this.seed, yield);
  }
}
