package dev.asyncwith.benchmarks;

import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The blocking style's baseline: the same thread hand-off, written by hand with no library.
 *
 * <p>A cycle starts a thread (virtual where the JDK has them, as the engine does) that acquires,
 * hands the value back by completing a stage (so a block attached directly runs on that thread),
 * waits for the block's outcome, releases, and completes the result; the caller waits for the
 * result. With an already-complete block that is two hand-offs, the thread's start and the
 * caller's wake-up, which is what the engine pays too.
 */
final class HandOff {
  private HandOff() {}

  /**
   * Runs one cycle of {@code body} inside {@code pool}'s handle on a new thread.
   *
   * @param pool the pool
   * @param body the block
   * @return the block's value once the release is done
   */
  static CompletableFuture<Integer> run(
      Pool pool, Function<Handle, ? extends CompletionStage<Integer>> body) {
    CompletableFuture<Handle> entered = new CompletableFuture<>();
    CompletableFuture<Integer> block = entered.thenCompose(body);
    CompletableFuture<Integer> result = new CompletableFuture<>();
    EngineThreads.start(() -> {
      Handle handle = pool.acquireNow();
      try {
        entered.complete(handle);
        block.handle((value, failure) -> null).join();
      } finally {
        pool.release(handle);
      }
      block.whenComplete((value, failure) -> {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      });
    });
    return result;
  }
}
