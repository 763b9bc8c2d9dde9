package dev.asyncwith;

import java.util.concurrent.CompletionStage;

/**
 * The engine behind a generated non-blocking manager: the base class of each class the asyncwith
 * processor generates from a method that takes an {@link AsyncYield} and returns a
 * {@link CompletionStage}. It plays the part of Python's {@code _AsyncGeneratorContextManager}.
 *
 * <p>A generated subclass only stores the method's arguments and calls the method from
 * {@link #generate(AsyncYield)}; the state machine (single use, the yield, the block's failure
 * delivered at the yield, did-not-yield, yielded-twice, a teardown that ran too early) lives
 * here, once. No thread of its own is used and nothing blocks.
 *
 * @param <T> the type of the value the method yields
 */
public abstract class AsyncGenerator<T> implements AsyncResource<T> {

  /**
   * Creates the engine for one use.
   *
   * @param name the source method as {@code Enclosing.method}, used in failure messages
   */
  protected AsyncGenerator(String name) {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }

  /**
   * Calls the generator method with {@code yield}. Called at most once, by {@link #enter()}.
   *
   * @param yield the yield the method must call exactly once
   * @return the method's stage; it must complete only after the method's teardown
   * @throws Throwable whatever the method throws; it counts as the method's stage failing
   */
  protected abstract CompletionStage<?> generate(AsyncYield<T> yield) throws Throwable;

  @Override
  public final CompletionStage<T> enter() {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }

  @Override
  public final CompletionStage<Boolean> exit(Throwable failure) {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }
}
