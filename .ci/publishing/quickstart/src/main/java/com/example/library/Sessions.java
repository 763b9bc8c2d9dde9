package com.example.library;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletionStage;

/** A library's managers, built with the README's Quick start pom.xml. */
public final class Sessions {
  private Sessions() {}

  /**
   * Opens a session for {@code user} and closes it when the block ends.
   *
   * @param user who the session is for
   * @param yield where the session goes to the block
   * @return completes once the session is closed
   */
  @AsyncContextManager
  public static CompletionStage<Void> open(String user, AsyncYield<String> yield) {
    return yield.yield("session of " + user).thenApply(ignored -> null);
  }

  /**
   * Holds a blocking resource on a thread of its own.
   *
   * @param name the resource's name
   * @param yield where the resource goes to the block
   * @throws Exception the block's failure, rethrown at the yield
   */
  @AsyncContextManager
  public static void held(String name, Yield<String> yield) throws Exception {
    yield.yield("held " + name);
  }
}
