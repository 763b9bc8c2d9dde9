package dev.asyncwith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Calls a resource's {@code enter} and {@code exit} as every statement does ({@code use}, {@code
 * call}, the exit stack): an implementation that throws, or returns {@code null} (a {@link
 * NullPointerException} naming the resource class and the method), counts as its stage failing
 * with that failure (rules 1 and 5 of {@code docs/RULES.md}). The one place that rule lives; what
 * a failed enter or exit then means is the caller's.
 */
final class Protocol {
  private Protocol() {}

  /** {@code resource.enter()}, as a stage that never is {@code null}; this never throws. */
  static <T> CompletionStage<T> enter(AsyncResource<T> resource) {
    CompletionStage<T> entering;
    try {
      entering = resource.enter();
    } catch (Throwable thrown) {
      return CompletableFuture.failedFuture(thrown);
    }
    return entering != null
        ? entering
        : CompletableFuture.failedFuture(
            Failures.returnedNull(resource.getClass().getName() + ".enter()"));
  }

  /** {@code resource.exit(failure)}, as a stage that never is {@code null}; this never throws. */
  static CompletionStage<Boolean> exit(AsyncResource<?> resource, Throwable failure) {
    CompletionStage<Boolean> exiting;
    try {
      exiting = resource.exit(failure);
    } catch (Throwable thrown) {
      return CompletableFuture.failedFuture(thrown);
    }
    return exiting != null ? exiting : CompletableFuture.failedFuture(exitReturnedNull(resource));
  }

  /** The failure of an {@code exit} that returned {@code null}. */
  static NullPointerException exitReturnedNull(Object resource) {
    return Failures.returnedNull(resource.getClass().getName() + ".exit(Throwable)");
  }
}
