package dev.asyncwith;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What {@code exit} of a generator-style manager reports, decided once for both engines
 * ({@code docs/RULES.md}, "Generator rules"; Python's
 * {@code _AsyncGeneratorContextManager.__aexit__}),
 * and the failures the engines raise, with their messages.
 */
final class GeneratorOutcome {
  private GeneratorOutcome() {}

  /**
   * Decides {@code exit}'s result once both the block and the method have finished.
   *
   * @param name the method, as {@code Enclosing.method}
   * @param block the block's failure, unwrapped, or {@code null}
   * @param method the method's failure, unwrapped, or {@code null} when it completed normally
   * @param twice the failure of the method's second yield, or {@code null} if it yielded once
   * @param early whether the method completed while the block was still running
   * @return {@link Boolean#TRUE} to suppress the block's failure, {@link Boolean#FALSE} to let
   *     the block's outcome stand, or the {@link Throwable} that {@code exit} fails with
   */
  static Object decide(
      String name, Throwable block, Throwable method, Throwable twice, boolean early) {
    if (early) {
      IllegalStateException tooEarly = tooEarly(name);
      if (twice != null) {
        // "yielded twice" wins over "too early"; the others travel with it (rule 5).
        Failures.attach(twice, tooEarly);
        return Failures.attach(twice, method);
      }
      return Failures.attach(tooEarly, method);
    }
    if (twice != null) {
      // The method unwound from its second yield. Caught and swallowed, or re-raised, the
      // yielded-twice failure stands; a different failure raised instead wins, carrying it.
      return method == null || method == twice ? twice : Failures.attach(method, twice);
    }
    if (method == null) {
      return block != null; // it caught the failure and finished: suppress (Python: True)
    }
    if (method == block) {
      return Boolean.FALSE; // the block's own failure came back: let it stand
    }
    return method; // a different failure Y replaces it; use/with attach the block's (rule 5)
  }

  /** {@link #decide}'s result as a stage: a shared constant for the Boolean results. */
  static CompletionStage<Boolean> toStage(Object decision) {
    if (decision instanceof Boolean) {
      return Stages.of((Boolean) decision);
    }
    return CompletableFuture.failedFuture((Throwable) decision);
  }

  /** Completes {@code result} with {@link #decide}'s result. */
  static void complete(CompletableFuture<Boolean> result, Object decision) {
    if (decision instanceof Boolean) {
      result.complete((Boolean) decision);
    } else {
      result.completeExceptionally((Throwable) decision);
    }
  }

  /**
   * Reports a failure of an {@code exit} that nobody awaits (the engine called it itself), unless
   * it is the failure that was delivered, or a cancellation.
   */
  static void reportIfNew(Throwable thrown, Throwable delivered) {
    if (isNew(thrown, delivered)) {
      Failures.reportUncaught(Failures.unwrap(thrown));
    }
  }

  /**
   * Whether {@code thrown}, the outcome of an exit nobody awaits that was given {@code
   * delivered}, is a failure of its own: not {@code null}, not the one delivered, not a
   * cancellation.
   */
  static boolean isNew(Throwable thrown, Throwable delivered) {
    if (thrown == null) {
      return false;
    }
    Throwable failure = Failures.unwrap(thrown);
    return failure != Failures.unwrap(delivered) && !(failure instanceof CancellationException);
  }

  /** How to fix a method that did not yield once. */
  private static final String YIELD_ONCE = ": a generator method must call yield exactly once";

  /** How to fix a second enter or exit. */
  private static final String SINGLE_USE =
      ": an instance is single-use, make a new one for each use";

  static IllegalStateException didNotYield(String name) {
    return new IllegalStateException(name + " did not yield" + YIELD_ONCE);
  }

  static IllegalStateException yieldedTwice(String name) {
    return new IllegalStateException(name + " yielded twice" + YIELD_ONCE);
  }

  static IllegalStateException tooEarly(String name) {
    return new IllegalStateException(
        name
            + " completed while the block was still running, so its teardown ran too early:"
            + " the method must complete only after the stage that yield returned");
  }

  static IllegalStateException yieldedAfterCompleting(String name) {
    return new IllegalStateException(
        name + " yielded after it had completed: a generator method must yield before it"
            + " completes");
  }

  static IllegalStateException enteredTwice(String name) {
    return new IllegalStateException(name + " was already entered" + SINGLE_USE);
  }

  static IllegalStateException exitedTwice(String name) {
    return new IllegalStateException(name + " was already exited" + SINGLE_USE);
  }

  static IllegalStateException exitOfStatement(String name) {
    return new IllegalStateException(
        name + " was entered by use, call or AsyncWith, which exits it: exit follows a"
            + " successful enter()");
  }

  static IllegalStateException yieldedOffThread(String name, Thread caller) {
    return new IllegalStateException(
        name + " yielded on " + Thread.currentThread().getName() + ", not on "
            + caller.getName() + ", the thread that called call: through call, a blocking"
            + " method must yield on the thread that runs it, where the block runs");
  }

  static IllegalStateException exitBeforeEnter(String name) {
    return new IllegalStateException(
        name + " was exited before its enter completed: exit follows a successful enter");
  }
}
