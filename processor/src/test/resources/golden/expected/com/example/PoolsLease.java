package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Leases a connection from {@code pool} and returns it once the block has finished.
 *
 * <p>Asynchronous context manager generated from {@link Pools#lease(ConnectionPool, AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.lease")
public final class PoolsLease extends AsyncGenerator<Connection> {
  /** The method's {@code pool} argument. */
  private final ConnectionPool pool;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param pool the pool to lease from
   */
  private PoolsLease(ConnectionPool pool) {
    super("Pools.lease");
    this.pool = pool;
  }

  /**
   * Returns a new manager that runs {@link Pools#lease(ConnectionPool, AsyncYield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param pool the pool to lease from
   * @return a new manager, not yet entered
   */
  public static PoolsLease of(ConnectionPool pool) {
    return new PoolsLease(pool);
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<Connection> yield) {
    return Pools.lease(this.pool, yield);
  }
}
