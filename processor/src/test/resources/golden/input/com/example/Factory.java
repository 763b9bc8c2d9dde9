package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

/** Makes things. */
public interface Factory {
  /**
   * Makes a thing.
   *
   * @param yield hands the thing to the block
   * @return the stage of the teardown
   */
  @AsyncContextManager
  static CompletionStage<Void> make(AsyncYield<String> yield) {
    return yield.yield("made");
  }
}
