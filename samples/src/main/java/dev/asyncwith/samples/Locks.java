package dev.asyncwith.samples;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two ways to hold a lock for the length of a block, one per generator style.
 *
 * <ul>
 *   <li>{@link #acquired}: non-blocking, over an {@link AsyncSemaphore}; waiting for the permit
 *       holds no thread. Generated into {@code LocksAcquired}.
 *   <li>{@link #holding}: blocking, over a {@link ReentrantLock}, which must be unlocked by the
 *       thread that locked it. The blocking style runs the method on one thread of its own from
 *       start to end, so it does. Generated into {@code LocksHolding}.
 * </ul>
 */
public final class Locks {

  private Locks() {}

  /**
   * Holds a permit of {@code semaphore} while the block runs: Python's
   * {@code async with semaphore:}, whose {@code __aenter__} acquires and {@code __aexit__}
   * releases.
   *
   * @param semaphore the semaphore to take a permit of
   * @param yield hands control to the block (there is no value to bind, so it yields
   *     {@code null})
   * @return a stage that completes once the permit is given back
   */
  @AsyncContextManager
  public static CompletionStage<Void> acquired(AsyncSemaphore semaphore, AsyncYield<Void> yield) {
    return semaphore
        .acquire()
        .thenCompose(
            acquired -> yield.yield(null).whenComplete((ignored, failure) -> semaphore.release()));
  }

  /**
   * Holds {@code lock} while the block runs. The method locks, yields, and unlocks on the same
   * thread (its own), as a {@code ReentrantLock} requires; the block is attached to that thread's
   * yield, so it starts there too, holding the lock.
   *
   * @param lock the lock to hold
   * @param yield hands the held lock to the block
   * @throws Exception the block's failure, which this method lets stand after unlocking
   */
  @AsyncContextManager
  public static void holding(ReentrantLock lock, Yield<ReentrantLock> yield) throws Exception {
    lock.lock();
    try {
      yield.yield(lock);
    } finally {
      lock.unlock();
    }
  }
}
