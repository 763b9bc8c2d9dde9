package com.example;

import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.BlockingGenerator;
import dev.asyncwith.Yield;
import javax.annotation.processing.Generated;

/**
 * Runs the block in a transaction on a connection from {@code db}. Its Python twin:
 *
 * <pre>{@code
 * @contextmanager
 * def tx(db):
 *     connection = db.acquire(options={"isolation": {"level": "serializable"}})
 *     try:
 *         yield connection
 *     finally:
 *         db.release(connection)
 * }</pre>
 *
 * <p>In Java it is annotated {@literal @}AsyncContextManager, and {@code @param} is written
 * {@literal @}param, even at the start of a line:
 * {@literal @}param is text here.
 *
 * <p>Asynchronous context manager generated from {@link Pools#tx(ConnectionPool, Yield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Pools.tx")
public final class PoolsTx extends BlockingGenerator<Connection> {
  /** The method's {@code db} argument. */
  private final ConnectionPool db;

  /**
   * Stores the arguments until {@code generate} calls the method.
   *
   * @param db the pool the connection comes from, and goes back to once the block has
   *     finished, normally or not
   */
  private PoolsTx(ConnectionPool db) {
    super("Pools.tx");
    this.db = db;
  }

  /**
   * Returns a new manager that runs {@link Pools#tx(ConnectionPool, Yield)}
   * with these arguments once entered. An instance is single-use.
   *
   * @param db the pool the connection comes from, and goes back to once the block has
   *     finished, normally or not
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
