package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * Makes a thing.
 *
 * <p>Asynchronous context manager generated from {@link Factory#make(AsyncYield)}.
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Factory.make")
public final class FactoryMake extends AsyncGenerator<String> {
  /** Creates the manager; {@code of} is the only caller. */
  private FactoryMake() {
    super("Factory.make");
  }

  /**
   * Returns a new manager that runs {@link Factory#make(AsyncYield)}
   * once entered. An instance is single-use.
   *
   * @return a new manager, not yet entered
   */
  public static FactoryMake of() {
    return new FactoryMake();
  }

  @Override
  protected CompletionStage<?> generate(AsyncYield<String> yield) {
    return Factory.make(yield);
  }
}
