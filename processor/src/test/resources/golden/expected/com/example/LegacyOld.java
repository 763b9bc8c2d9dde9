package com.example;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncWithGenerated;
import dev.asyncwith.AsyncYield;
import java.util.concurrent.CompletionStage;
import javax.annotation.processing.Generated;

/**
 * The old way.
 *
 * <p>Asynchronous context manager generated from {@link Legacy#old(AsyncYield)}.
 *
 * @deprecated use {@link Pools#lease} instead
 */
@Generated("dev.asyncwith.processor.AsyncContextManagerProcessor")
@AsyncWithGenerated(from = "Legacy.old")
@Deprecated(since = "0.1")
public final class LegacyOld extends AsyncGenerator<String> {
  /** Creates the manager; {@code of} is the only caller. */
  private LegacyOld() {
    super("Legacy.old");
  }

  /**
   * Returns a new manager that runs {@link Legacy#old(AsyncYield)}
   * once entered. An instance is single-use.
   *
   * @return a new manager, not yet entered
   */
  @Deprecated(since = "0.1")
  public static LegacyOld of() {
    return new LegacyOld();
  }

  @Override
  @Deprecated(since = "0.1")
  protected CompletionStage<?> generate(AsyncYield<String> yield) {
    return Legacy.old(yield);
  }
}
