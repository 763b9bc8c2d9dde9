package dev.asyncwith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A resource's {@code enter} and {@code exit} as every statement calls them ({@code use}, {@code
 * call}, the exit stack): an implementation that throws, or returns {@code null} (a {@link
 * NullPointerException} naming the resource class and the method), counts as its stage failing with
 * that failure (rules 1 and 5 of {@code docs/RULES.md}). What a throw or a {@code null} becomes is
 * decided here only; what a failed enter or exit then means is the caller's.
 *
 * <p>{@link Statement} calls {@code enter} and {@code exit} from call sites of its own and uses
 * {@link #threw}, {@link #enterReturnedNull} and {@link #exitReturnedNull} for the rest: a call site
 * shared here by every statement sees every resource class of the program, and the JIT then stops
 * inlining the call (measured in the CPU-time harness, which runs every kind of cycle in one JVM: a
 * hand-written resource's cycle through {@code use} took 36.6 ns through the shared site against
 * 22.4 ns through its own). The others, off the hot path, call {@link #enter} and {@link #exit}.
 */
final class Protocol {
  private Protocol() {}

  /** {@code resource.enter()}, as a stage that never is {@code null}; this never throws. */
  static <T> CompletionStage<T> enter(AsyncResource<T> resource) {
    CompletionStage<T> entering;
    try {
      entering = resource.enter();
    } catch (Throwable thrown) {
      return threw(thrown);
    }
    return entering != null ? entering : enterReturnedNull(resource);
  }

  /** {@code resource.exit(failure)}, as a stage that never is {@code null}; this never throws. */
  static CompletionStage<Boolean> exit(AsyncResource<?> resource, Throwable failure) {
    CompletionStage<Boolean> exiting;
    try {
      exiting = resource.exit(failure);
    } catch (Throwable thrown) {
      return threw(thrown);
    }
    return exiting != null ? exiting : exitReturnedNull(resource);
  }

  /** What an {@code enter} or {@code exit} that threw {@code thrown} counts as. */
  static <T> CompletionStage<T> threw(Throwable thrown) {
    return CompletableFuture.failedFuture(thrown);
  }

  /** What an {@code enter} that returned {@code null} counts as. */
  static <T> CompletionStage<T> enterReturnedNull(AsyncResource<?> resource) {
    return CompletableFuture.failedFuture(
        Failures.returnedNull(resource.getClass().getName() + ".enter()"));
  }

  /** What an {@code exit} that returned {@code null} counts as. */
  static CompletionStage<Boolean> exitReturnedNull(AsyncResource<?> resource) {
    return CompletableFuture.failedFuture(Failures.returnedNull(exitOf(resource)));
  }

  /** How failure messages name a resource's {@code exit}: {@code Class.exit(Throwable)}. */
  static String exitOf(AsyncResource<?> resource) {
    return resource.getClass().getName() + ".exit(Throwable)";
  }
}
