package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

public final class Legacy {
  private Legacy() {}

  /**
   * The old way.
   *
   * @deprecated use {@link Pools#lease} instead
   */
  @Deprecated(since = "0.1")
  @AsyncContextManager
  public static CompletionStage<Void> old(AsyncYield<String> yield) {
    return yield.yield("old");
  }
}
