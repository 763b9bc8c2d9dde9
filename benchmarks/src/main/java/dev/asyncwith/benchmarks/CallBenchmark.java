package dev.asyncwith.benchmarks;

import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one synchronous cycle (enter, a block that returns at once, exit) on one thread,
 * through the synchronous statement {@code call}: Python's {@code with}. Each operation makes a new
 * manager instance, as a caller does; every iteration ends by checking that each acquire was
 * released.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class CallBenchmark {
  private final Pool pool = new Pool();

  /** Creates the benchmark state; JMH calls it. */
  public CallBenchmark() {}

  /**
   * The floor: a hand-written manager object ({@link HandWrittenHold}) with try/finally.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer handWrittenTryFinally() {
    HandWrittenHold hold = new HandWrittenHold(pool);
    Handle handle = hold.enter();
    try {
      return Blocks.expectValue(Blocks.value(handle));
    } finally {
      hold.exit();
    }
  }

  /**
   * The generated blocking manager ({@code ManagersHold}) through {@code call}: its method runs on
   * this thread, with the block inside the yield.
   *
   * @return the block's value
   * @throws Exception if the cycle failed
   */
  @Benchmark
  public Integer blockingCall() throws Exception {
    return Blocks.expectValue(ManagersHold.of(pool).call(Blocks::value));
  }

  /**
   * The generated non-blocking manager ({@code ManagersLease}) through {@code call}.
   *
   * @return the block's value
   * @throws Exception if the cycle failed
   */
  @Benchmark
  public Integer nonBlockingCall() throws Exception {
    return Blocks.expectValue(ManagersLease.of(pool).call(Blocks::value));
  }

  /**
   * The generated non-blocking manager through {@code use(...).join()}, the way a synchronous
   * caller used it before {@code call}.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer nonBlockingUseJoin() {
    return Blocks.expectValue(ManagersLease.of(pool).use(Blocks::trivial).join());
  }

  /** Fails the run if any teardown was skipped. */
  @TearDown(Level.Iteration)
  public void checkReleased() {
    pool.checkAllReleased(getClass().getSimpleName());
  }
}
