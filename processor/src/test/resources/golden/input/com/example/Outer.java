package com.example;

import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;

public class Outer {
  public static class Inner {
    @AsyncContextManager
    public static void run(Yield<String> yield) throws Exception {
      yield.yield("inner");
    }
  }
}
