package dev.asyncwith;

import java.util.concurrent.CompletionStage;

/**
 * An exit callback for {@link AsyncExitStack#push(AsyncExit)}: Python's
 * {@code push_async_exit}, a callback shaped like {@code __aexit__} that sees the failure and
 * may suppress it.
 */
@FunctionalInterface
public interface AsyncExit {

  /**
   * Runs the callback.
   *
   * @param failure the failure left by the callbacks pushed after this one, or {@code null}
   * @return a stage that completes {@code true} to suppress {@code failure}, {@code false} to
   *     let it stand, or fails with a failure that replaces it
   */
  CompletionStage<Boolean> exit(Throwable failure);
}
