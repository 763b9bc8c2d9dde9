package dev.asyncwith.benchmarks;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link AsyncResource} written by hand, as a user without the processor would: acquire in
 * {@code enter}, release in {@code exit}. Single use, like a generated manager.
 */
final class HandWrittenLease implements AsyncResource<Handle> {
  private static final CompletableFuture<Boolean> DO_NOT_SUPPRESS =
      CompletableFuture.completedFuture(Boolean.FALSE);

  private final Pool pool;
  private CompletionStage<Handle> acquired;

  HandWrittenLease(Pool pool) {
    this.pool = pool;
  }

  @Override
  public CompletionStage<Handle> enter() {
    CompletionStage<Handle> stage = pool.acquire();
    acquired = stage;
    return stage;
  }

  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    // exit follows a successful enter, so the acquired stage is complete.
    pool.release(acquired.toCompletableFuture().join());
    return DO_NOT_SUPPRESS;
  }
}
