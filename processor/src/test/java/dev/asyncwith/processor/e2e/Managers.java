package dev.asyncwith.processor.e2e;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Generator methods compiled by Maven's test-compile through the processor; the generated classes
 * ({@code ManagersLease}, {@code ManagersTransaction}, ...) are run by {@link EndToEndTest}.
 */
final class Managers {
  private Managers() {}

  /** Non-blocking: logs acquire and release around the block. */
  @AsyncContextManager
  static CompletionStage<Void> lease(List<String> log, String name, AsyncYield<String> yield) {
    log.add("acquire " + name);
    return yield
        .yield(name)
        .whenComplete(
            (ignored, failure) ->
                log.add(
                    "release " + name + (failure == null ? "" : " after " + failure.getMessage())));
  }

  /** Non-blocking: recovers from the block's failure, which suppresses it. */
  @AsyncContextManager
  static CompletionStage<Void> suppressing(List<String> log, AsyncYield<String> yield) {
    return yield
        .yield("guarded")
        .handle(
            (ignored, failure) -> {
              log.add("suppressed " + failure.getMessage());
              return null;
            });
  }

  /** Non-blocking: yields only when asked to, to show "did not yield". */
  @AsyncContextManager
  static CompletionStage<Void> maybe(boolean yields, AsyncYield<String> yield) {
    return yields ? yield.yield("yielded") : CompletableFuture.completedFuture(null);
  }

  /** Blocking: reads like Python's {@code @contextmanager}. */
  @AsyncContextManager
  static void transaction(List<String> log, Yield<String> yield) throws Exception {
    log.add("begin on " + Thread.currentThread().getName());
    try {
      yield.yield("tx");
      log.add("commit");
    } catch (Exception failure) {
      log.add("rollback after " + failure.getMessage());
      throw failure;
    }
  }

  /** Varargs: the block receives the arguments as a list. */
  @AsyncContextManager(name = "AllOf")
  static CompletionStage<Void> all(AsyncYield<List<String>> yield, String... names) {
    return yield.yield(Arrays.asList(names));
  }

  /**
   * Generic varargs, so the generated {@code of} is {@code @SafeVarargs}: the block receives the
   * first element and the count, read from the very array the caller passed.
   */
  @AsyncContextManager(name = "FirstOf")
  @SafeVarargs
  static <T> CompletionStage<Void> first(AsyncYield<String> yield, T... items) {
    return yield.yield(items[0] + " of " + items.length);
  }

  /** Non-blocking: yields a second time after the block, which the engine rejects. */
  @AsyncContextManager
  static CompletionStage<Void> twice(AsyncYield<String> yield) {
    return yield.yield("first").thenCompose(ignored -> yield.yield("second"));
  }

  /** Blocking: replaces the block's failure with its own. */
  @AsyncContextManager
  static void replacing(Yield<String> yield) throws Exception {
    try {
      yield.yield("value");
    } catch (Exception failure) {
      throw new IllegalArgumentException("replaced");
    }
  }

  /** Blocking: yields only when asked to. */
  @AsyncContextManager
  static void silent(boolean yields, Yield<String> yield) throws Exception {
    if (yields) {
      yield.yield("yielded");
    }
  }
}
