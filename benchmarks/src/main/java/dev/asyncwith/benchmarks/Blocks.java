package dev.asyncwith.benchmarks;

import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The trivial block every cycle runs: it is already complete and allocates nothing. */
final class Blocks {
  /** The block's value. */
  static final Integer VALUE = 42;

  private static final CompletableFuture<Integer> DONE = CompletableFuture.completedFuture(VALUE);

  private Blocks() {}

  /**
   * The block of one cycle.
   *
   * @param handle the value bound by {@code as}
   * @return a shared stage that has completed with {@link #VALUE}
   */
  static CompletionStage<Integer> trivial(Handle handle) {
    return DONE;
  }

  /**
   * The block of one synchronous cycle ({@code call}): returns its value at once.
   *
   * @param handle the value bound by {@code as}
   * @return {@link #VALUE}, a shared boxed value
   */
  static Integer value(Handle handle) {
    return VALUE;
  }

  /**
   * Checks that a synchronous cycle returned the block's value.
   *
   * @param result what the cycle returned
   * @return the block's value
   */
  static Integer expectValue(Integer result) {
    if (result != VALUE) {
      throw new IllegalStateException("cycle did not return the block's value: " + result);
    }
    return result;
  }

  /**
   * The block of a two-resource statement.
   *
   * @param first the first resource's value
   * @param second the second resource's value
   * @return a shared stage that has completed with {@link #VALUE}
   */
  static CompletionStage<Integer> trivial(Handle first, Handle second) {
    return DONE;
  }

  /**
   * Checks that a cycle completed at once with the block's value; a cycle of an already-complete
   * block that did not complete synchronously, or with another value, is a failed measurement.
   *
   * @param result the cycle's result
   * @return the block's value
   */
  static Integer expectDone(CompletableFuture<Integer> result) {
    Integer value = result.getNow(null);
    if (value != VALUE) {
      throw new IllegalStateException("cycle did not complete at once with the block's value: "
          + result);
    }
    return value;
  }
}
