package com.example;

import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.BlockingGenerator;
import dev.asyncwith.Yield;
import javax.annotation.processing.Generated;

/**
 * Runs the block.
 *
 * <p>Asynchronous context manager generated from {@link Outer.Inner#run(Yield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Outer.Inner.run")
public final class OuterInnerRun extends BlockingGenerator<String> {
  /** Creates the manager; {@code of} is the only caller. */
  private OuterInnerRun() {
    super("Outer.Inner.run");
  }

  /**
   * Returns a new manager that runs {@link Outer.Inner#run(Yield)}
   * once entered. An instance is single-use.
   *
   * @return a new manager, not yet entered
   */
  public static OuterInnerRun of() {
    return new OuterInnerRun();
  }

  @Override
  protected void generate(Yield<String> yield) throws Exception {
    Outer.Inner.run(yield);
  }
}
