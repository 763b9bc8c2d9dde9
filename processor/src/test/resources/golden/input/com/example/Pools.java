package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

public final class Pools {
  private Pools() {}

  /**
   * Leases a connection from {@code pool} and returns it once the block has finished.
   *
   * @param pool the pool to lease from
   * @param yield hands the connection to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager
  public static CompletionStage<Void> lease(ConnectionPool pool, AsyncYield<Connection> yield) {
    return pool.acquire()
        .thenCompose(conn -> yield.yield(conn).whenComplete((v, failure) -> pool.release(conn)));
  }

  @AsyncContextManager
  public static void tx(ConnectionPool db, Yield<Connection> yield) throws Exception {
    Connection connection = db.acquire().toCompletableFuture().join();
    try {
      yield.yield(connection);
    } finally {
      db.release(connection);
    }
  }

  @AsyncContextManager
  @SafeVarargs
  public static <T extends Comparable<? super T>> CompletableFuture<Void> firstOf(
      List<T> sorted, AsyncYield<T> yield, T... extra) {
    return yield.yield(extra.length > 0 ? extra[0] : sorted.get(0)).toCompletableFuture();
  }

  @AsyncContextManager(name = "Checkout")
  public static CompletionStage<Void> checkOut(ConnectionPool pool, AsyncYield<Connection> yield) {
    return lease(pool, yield);
  }

  @AsyncContextManager
  static CompletionStage<Void> internal(ConnectionPool pool, AsyncYield<Connection> yield) {
    return lease(pool, yield);
  }
}
