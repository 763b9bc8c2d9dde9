package com.example;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Hands out connections. */
public final class ConnectionPool {
  /** Creates an empty pool. */
  public ConnectionPool() {}

  /**
   * Takes a connection.
   *
   * @return the stage of a connection
   */
  public CompletionStage<Connection> acquire() {
    return CompletableFuture.completedFuture(new Connection());
  }

  /**
   * Gives a connection back.
   *
   * @param connection the connection
   */
  public void release(Connection connection) {}
}
