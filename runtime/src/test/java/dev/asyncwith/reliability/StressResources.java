package dev.asyncwith.reliability;

import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncYield;
import dev.asyncwith.BlockingGenerator;
import dev.asyncwith.Yield;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resources for the stress suites that count acquisitions and releases, in the three shapes a
 * user writes: hand-written, non-blocking generator, blocking generator. Each instance also
 * checks that it is released at most once.
 */
final class StressResources {
  private StressResources() {}

  /** Global acquire/release counts and the number of double releases seen. */
  static final class Ledger {
    final AtomicLong acquired = new AtomicLong();
    final AtomicLong released = new AtomicLong();
    final AtomicLong doubleReleases = new AtomicLong();
    final AtomicLong releasesWithoutAcquire = new AtomicLong();

    /** Whether every acquisition has been released exactly once. */
    boolean balanced() {
      return acquired.get() == released.get()
          && doubleReleases.get() == 0
          && releasesWithoutAcquire.get() == 0;
    }

    @Override
    public String toString() {
      return "acquired=" + acquired + " released=" + released + " doubleReleases="
          + doubleReleases + " releasesWithoutAcquire=" + releasesWithoutAcquire;
    }
  }

  /** One acquisition's state: 0 idle, 1 acquired, 2 released. */
  private static final class Slot {
    private final AtomicInteger state = new AtomicInteger();

    void acquire(Ledger ledger) {
      state.set(1);
      ledger.acquired.incrementAndGet();
    }

    void release(Ledger ledger) {
      int previous = state.getAndSet(2);
      if (previous == 2) {
        ledger.doubleReleases.incrementAndGet();
      } else if (previous == 0) {
        ledger.releasesWithoutAcquire.incrementAndGet();
      } else {
        ledger.released.incrementAndGet();
      }
    }
  }

  /**
   * A hand-written resource. With {@code executor} null its stages complete synchronously;
   * otherwise its enter completes on {@code executor}.
   */
  static final class Counting implements AsyncResource<Integer> {
    private final Ledger ledger;
    private final Executor executor;
    private final Slot slot = new Slot();

    Counting(Ledger ledger, Executor executor) {
      this.ledger = ledger;
      this.executor = executor;
    }

    @Override
    public CompletionStage<Integer> enter() {
      if (executor == null) {
        slot.acquire(ledger);
        return CompletableFuture.completedFuture(1);
      }
      return CompletableFuture.supplyAsync(
          () -> {
            slot.acquire(ledger);
            return 1;
          },
          executor);
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      slot.release(ledger);
      return CompletableFuture.completedFuture(false);
    }
  }

  /** A non-blocking generator: acquire, yield, release whatever the block did. */
  static final class CountingAsync extends AsyncGenerator<Integer> {
    private final Ledger ledger;
    private final Executor executor;
    private final Slot slot = new Slot();

    CountingAsync(Ledger ledger, Executor executor) {
      super("StressResources.countingAsync");
      this.ledger = ledger;
      this.executor = executor;
    }

    @Override
    protected CompletionStage<?> generate(AsyncYield<Integer> yield) {
      CompletionStage<Void> setup =
          executor == null
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.runAsync(() -> {}, executor);
      return setup.thenCompose(
          ignored -> {
            slot.acquire(ledger);
            return yield.yield(2).whenComplete((v, failure) -> slot.release(ledger));
          });
    }
  }

  /** A blocking generator: acquire, yield in try/finally, release. */
  static final class CountingBlocking extends BlockingGenerator<Integer> {
    private final Ledger ledger;
    private final Slot slot = new Slot();
    private volatile Thread thread;

    CountingBlocking(Ledger ledger) {
      super("StressResources.countingBlocking");
      this.ledger = ledger;
    }

    @Override
    protected void generate(Yield<Integer> yield) throws Exception {
      thread = Thread.currentThread();
      slot.acquire(ledger);
      try {
        yield.yield(3);
      } finally {
        slot.release(ledger);
      }
    }

    /** The thread the method ran on, or null if it has not started. */
    Thread thread() {
      return thread;
    }
  }
}
