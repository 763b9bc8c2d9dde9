package dev.asyncwith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The {@code async with} statement behind {@link AsyncResource#use}. */
final class Statement {
  private Statement() {}

  static <T, R> CompletableFuture<R> run(
      AsyncResource<T> resource, Function<? super T, ? extends CompletionStage<R>> body) {
    throw new UnsupportedOperationException("TODO(statement): not written yet");
  }

  static <T, R> CompletableFuture<R> runWithTimeout(
      AsyncResource<T> resource,
      Duration timeout,
      Function<? super T, ? extends CompletionStage<R>> body) {
    throw new UnsupportedOperationException("TODO(statement): not written yet");
  }
}
