package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Leases a connection under another name.
 *
 * <p>Asynchronous context manager generated from
 * {@link Pools#checkOut(ConnectionPool, AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.checkOut")
public final class Checkout extends AsyncGenerator<Connection> {
  /** The method's {@code pool} argument. */
  private final ConnectionPool pool;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param pool the pool to lease from
   */
  private Checkout(ConnectionPool pool) {
    super("Pools.checkOut");
    this.pool = pool;
  }

  /**
   * Returns a new manager that runs {@link Pools#checkOut(ConnectionPool, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param pool the pool to lease from
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
