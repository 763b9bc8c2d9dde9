package dev.asyncwith.benchmarks;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.CompletionStage;

/**
 * The benchmark's generator-style managers; the asyncwith processor generates {@code ManagersLease}
 * and {@code ManagersHold} from them in this build.
 */
final class Managers {
  private Managers() {}

  /**
   * Leases the pool's handle without blocking: the same acquire/body/release shape as the
   * hand-written chain in {@link CycleBenchmark#floor()}, with the block at the yield.
   *
   * @param pool the pool
   * @param yield where the block runs
   * @return completes after the release
   */
  @AsyncContextManager
  static CompletionStage<Void> lease(Pool pool, AsyncYield<Handle> yield) {
    return pool.acquire()
        .thenCompose(handle -> yield.yield(handle).whenComplete((v, failure) -> pool.release(handle)));
  }

  /**
   * Holds the pool's handle in blocking style, on a generator thread of its own.
   *
   * @param pool the pool
   * @param yield where the block runs
   * @throws Exception the block's failure
   */
  @AsyncContextManager
  static void hold(Pool pool, Yield<Handle> yield) throws Exception {
    Handle handle = pool.acquireNow();
    try {
      yield.yield(handle);
    } finally {
      pool.release(handle);
    }
  }
}
