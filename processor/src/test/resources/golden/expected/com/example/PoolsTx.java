package com.example;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.BlockingGenerator;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncWithGenerated;
import java.lang.Exception;
import java.lang.Override;
import javax.annotation.processing.Generated;

/**
 * Asynchronous context manager generated from {@link Pools#tx(ConnectionPool, Yield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(
    from = "Pools.tx"
)
public final class PoolsTx extends BlockingGenerator<Connection> implements AsyncResource<Connection> {
  private final ConnectionPool db;

  private PoolsTx(ConnectionPool db) {
    super("Pools.tx");
    this.db = db;
  }

  /**
   * Returns a new manager that runs {@link Pools#tx(ConnectionPool, Yield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param db the method's {@code db} argument
   * @return a new manager, not yet entered
   */
  public static PoolsTx of(ConnectionPool db) {
    return new PoolsTx(db);
  }

  @Override
  protected void generate(Yield<Connection> yield) throws Exception {
    Pools.tx(this.db, yield);
  }
}
