package com.example;

import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;

/** Encloses a nested type. */
public class Outer {
  /** Creates an outer. */
  public Outer() {}

  /** A nested type. */
  public static class Inner {
    /** Creates an inner. */
    public Inner() {}

    /**
     * Runs the block.
     *
     * @param yield hands a string to the block
     * @throws Exception if the block fails
     */
    @AsyncContextManager
    public static void run(Yield<String> yield) throws Exception {
      yield.yield("inner");
    }
  }
}
