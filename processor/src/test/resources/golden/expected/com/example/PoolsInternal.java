package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Leases a connection, for this package only.
 *
 * <p>Asynchronous context manager generated from
 * {@link Pools#internal(ConnectionPool, AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.internal")
final class PoolsInternal extends AsyncGenerator<Connection> {
  /** The method's {@code pool} argument. */
  private final ConnectionPool pool;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param pool the pool to lease from
   */
  private PoolsInternal(ConnectionPool pool) {
    super("Pools.internal");
    this.pool = pool;
  }

  /**
   * Returns a new manager that runs {@link Pools#internal(ConnectionPool, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param pool the pool to lease from
   * @return a new manager, not yet entered
   */
  static PoolsInternal of(ConnectionPool pool) {
    return new PoolsInternal(pool);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<Connection> yield) {
    return Pools.internal(this.pool, yield);
  }
}
