package com.example.modular;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

/** Two managers generated inside a named module, one of each style. */
final class Resources {
  private Resources() {}

  @AsyncContextManager
  static CompletionStage<Void> greeting(String name, AsyncYield<String> yield) {
    return yield.yield("hello " + name).thenApply(ignored -> null);
  }

  @AsyncContextManager
  static void ownThread(Yield<Thread> yield) throws Exception {
    yield.yield(Thread.currentThread());
  }
}
