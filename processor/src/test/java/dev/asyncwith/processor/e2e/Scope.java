package dev.asyncwith.processor.e2e;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A generic type with a generic instance method: the generated {@code ScopeMapped<T, R>} takes the
 * receiver first.
 *
 * @param <T> the type of the value in scope
 */
final class Scope<T> {
  private final T value;
  private final List<String> log;

  Scope(T value, List<String> log) {
    this.value = value;
    this.log = log;
  }

  /** Yields the value mapped by {@code mapper}, and logs the exit. */
  @AsyncContextManager
  <R> CompletionStage<Void> mapped(Function<? super T, ? extends R> mapper, AsyncYield<R> yield) {
    return yield.yield(mapper.apply(value)).whenComplete((ignored, failure) -> log.add("closed"));
  }
}
