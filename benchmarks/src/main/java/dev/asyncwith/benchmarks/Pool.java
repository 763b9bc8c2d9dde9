package dev.asyncwith.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A stand-in for a real resource pool whose acquire and release cost next to nothing and allocate
 * nothing, so that a benchmark measures only the machinery around them: the {@code async with}
 * statement, the generator engines, or the hand-written chain they are held against.
 *
 * <p>{@link #open()} counts acquires minus releases; every benchmark checks it is back to zero, so
 * a runtime that skipped a teardown fails the run instead of looking fast. The counter is a plain
 * field: a pool belongs to one logical flow at a time (one JMH thread, or one in-flight slot), and
 * the hand-overs between a caller and a generator thread go through completed stages, which order
 * the accesses.
 */
public final class Pool {
  private final Handle handle = new Handle();
  private final CompletableFuture<Handle> acquired = CompletableFuture.completedFuture(handle);
  private int open;

  /**
   * Acquires the handle asynchronously; the stage is already complete.
   *
   * @return a shared, completed stage of the pool's handle
   */
  public CompletionStage<Handle> acquire() {
    open++;
    return acquired;
  }

  /**
   * Acquires the handle synchronously, as blocking code does.
   *
   * @return the pool's handle
   */
  public Handle acquireNow() {
    open++;
    return handle;
  }

  /**
   * Releases a handle acquired from this pool.
   *
   * @param released the handle
   */
  public void release(Handle released) {
    if (released != handle) {
      throw new IllegalArgumentException("not this pool's handle");
    }
    open--;
  }

  /**
   * Returns how many acquires have not been released yet.
   *
   * @return acquires minus releases
   */
  public int open() {
    return open;
  }

  /**
   * Fails if a teardown was skipped (or ran twice) since the last check.
   *
   * @param where what was measured, for the message
   */
  public void checkAllReleased(String where) {
    if (open != 0) {
      throw new IllegalStateException(where + ": " + open + " acquires were not released");
    }
  }

  /** What the pool hands out: the value bound by {@code as}. */
  public static final class Handle {
    private Handle() {}
  }
}
