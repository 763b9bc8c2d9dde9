package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

/** The old API. */
public final class Legacy {
  /** Not instantiated. */
  private Legacy() {}

  /**
   * The old way.
   *
   * @param yield hands a string to the block
   * @return the stage of the teardown
   * @deprecated use {@link Pools#lease} instead
   */
  @Deprecated(since = "0.1")
  @AsyncContextManager
  public static CompletionStage<Void> old(AsyncYield<String> yield) {
    return yield.yield("old");
  }
}
