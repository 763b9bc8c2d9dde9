package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncWithGenerated;
import java.lang.Override;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Asynchronous context manager generated from {@link Pools#checkOut(ConnectionPool, AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(
    from = "Pools.checkOut"
)
public final class Checkout extends AsyncGenerator<Connection> implements AsyncResource<Connection> {
  private final ConnectionPool pool;

  private Checkout(ConnectionPool pool) {
    super("Pools.checkOut");
    this.pool = pool;
  }

  /**
   * Returns a new manager that runs {@link Pools#checkOut(ConnectionPool, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param pool the method's {@code pool} argument
   * @return a new manager, not yet entered
   */
  public static Checkout of(ConnectionPool pool) {
    return new Checkout(pool);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<Connection> yield) {
    return Pools.checkOut(this.pool, yield);
  }
}
