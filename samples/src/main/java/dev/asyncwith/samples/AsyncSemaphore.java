package dev.asyncwith.samples;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A semaphore that never blocks a thread, like Python's {@code asyncio.Semaphore} (and, with one
 * permit, {@code asyncio.Lock}): {@link #acquire()} returns a stage that completes once a permit
 * is free, and {@link #release()} hands the permit to the longest waiter. Use it through
 * {@link Locks#acquired} ({@code LocksAcquired.of(semaphore).use(...)}), which releases the permit
 * however the block ends.
 *
 * <p>A waiter's continuation runs on the thread that hands it the permit, as
 * {@code CompletableFuture} continuations do; a task that has a permit handed to it inside a
 * {@code release} call and releases it again before returning nests one call deeper, so keep
 * blocks asynchronous (as the sample's are) when thousands of tasks queue at once.
 */
public final class AsyncSemaphore {

  private final Queue<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int permits;

  /**
   * Creates a semaphore with {@code permits} permits; one makes it a lock.
   *
   * @param permits how many holders may be inside at once
   * @throws IllegalArgumentException if {@code permits} is less than one
   */
  public AsyncSemaphore(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("a semaphore needs at least one permit: " + permits);
    }
    this.permits = permits;
  }

  /**
   * Takes a permit: {@code await semaphore.acquire()}.
   *
   * @return a stage that completes when the caller holds a permit; waiters are served first come,
   *     first served
   */
  public CompletionStage<Void> acquire() {
    synchronized (this) {
      if (permits > 0) {
        permits--;
        return CompletableFuture.completedStage(null);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  /** Gives back a permit taken by {@link #acquire()}: call it exactly once per acquisition. */
  public void release() {
    while (true) {
      CompletableFuture<Void> next;
      synchronized (this) {
        next = waiters.poll();
        if (next == null) {
          permits++;
          return;
        }
      }
      // Completed outside the monitor, so the waiter's continuation never runs holding it. A
      // waiter whose stage was cancelled meanwhile does not take the permit: try the next.
      if (next.complete(null)) {
        return;
      }
    }
  }
}
