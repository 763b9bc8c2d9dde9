package com.example;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

public interface Factory {
  @AsyncContextManager
  static CompletionStage<Void> make(AsyncYield<String> yield) {
    return yield.yield("made");
  }
}
