package dev.asyncwith;

import java.util.concurrent.CompletionStage;

/**
 * The engine behind a generated blocking manager: the base class of each class the asyncwith
 * processor generates from a {@code void} method that takes a {@link Yield}.
 *
 * <p>{@link #enter()} starts the method on a thread of its own, a virtual thread on JDK 21+ and
 * a daemon platform thread on JDK 17, named after the method. The thread that yields completes
 * {@code enter}'s stage, so a block attached directly runs there too; {@link Yield#yield} then
 * blocks until {@link #exit(Throwable)} delivers the block's outcome. The thread ends right after
 * completing {@code exit}'s stage.
 *
 * @param <T> the type of the value the method yields
 */
public abstract class BlockingGenerator<T> implements AsyncResource<T> {

  /**
   * Creates the engine for one use.
   *
   * @param name the source method as {@code Enclosing.method}, used in failure messages and in
   *     the generator thread's name
   */
  protected BlockingGenerator(String name) {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }

  /**
   * Calls the generator method with {@code yield}, on the generator's thread. Called at most
   * once, by {@link #enter()}.
   *
   * @param yield the yield the method must call exactly once
   * @throws Throwable whatever the method throws: its failure
   */
  protected abstract void generate(Yield<T> yield) throws Throwable;

  @Override
  public final CompletionStage<T> enter() {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }

  @Override
  public final CompletionStage<Boolean> exit(Throwable failure) {
    throw new UnsupportedOperationException("TODO(engine): not written yet");
  }
}
