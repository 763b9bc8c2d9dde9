package dev.asyncwith.benchmarks;

import dev.asyncwith.benchmarks.Pool.Handle;

/**
 * The floor of the synchronous cycle: a manager object written by hand, used with try/finally, as
 * a Java developer would write one without the library (Python: a class with {@code __enter__}
 * and {@code __exit__}, or try/finally around acquire and release).
 */
final class HandWrittenHold {
  private final Pool pool;
  private Handle handle;

  HandWrittenHold(Pool pool) {
    this.pool = pool;
  }

  /** Acquires the pool's handle. */
  Handle enter() {
    handle = pool.acquireNow();
    return handle;
  }

  /** Releases it. */
  void exit() {
    pool.release(handle);
  }
}
