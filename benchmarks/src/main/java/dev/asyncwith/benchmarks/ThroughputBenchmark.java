package dev.asyncwith.benchmarks;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput with every core busy: the floor and the generated managers with one caller thread
 * per core ({@link Threads#MAX}), and the blocking style with {@value #IN_FLIGHT} cycles in flight
 * at once from one caller, against the hand-written hand-off doing the same.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ThroughputBenchmark {
  /** How many blocking cycles one caller keeps in flight. */
  static final int IN_FLIGHT = 64;

  private final Pool pool = new Pool();
  private final Pool[] slots = new Pool[IN_FLIGHT];
  @SuppressWarnings("unchecked")
  private final CompletableFuture<Integer>[] results = (CompletableFuture<Integer>[]) new CompletableFuture<?>[IN_FLIGHT];

  /** Creates the benchmark state (one per caller thread); JMH calls it. */
  public ThroughputBenchmark() {
    for (int i = 0; i < IN_FLIGHT; i++) {
      slots[i] = new Pool();
    }
  }

  /**
   * The hand-written chain, on every core.
   *
   * @return the block's value
   */
  @Benchmark
  @Threads(Threads.MAX)
  public Integer floor() {
    Pool pool = this.pool;
    return Blocks.expectDone(pool.acquire()
        .thenCompose(handle ->
            Blocks.trivial(handle).whenComplete((value, failure) -> pool.release(handle)))
        .toCompletableFuture());
  }

  /**
   * The generated non-blocking manager, on every core.
   *
   * @return the block's value
   */
  @Benchmark
  @Threads(Threads.MAX)
  public Integer generatedUse() {
    return Blocks.expectDone(ManagersLease.of(pool).use(Blocks::trivial));
  }

  /**
   * The generated blocking manager, one cycle at a time from each of one caller per core.
   *
   * @return the block's value
   * @throws Exception if the cycle failed or took over five seconds
   */
  @Benchmark
  @Threads(Threads.MAX)
  public Integer generatedBlocking() throws Exception {
    return ManagersHold.of(pool).use(Blocks::trivial).get(5, SECONDS);
  }

  /**
   * The hand-written hand-off, one cycle at a time from each of one caller per core.
   *
   * @return the block's value
   * @throws Exception if the cycle failed or took over five seconds
   */
  @Benchmark
  @Threads(Threads.MAX)
  public Integer handOffBaseline() throws Exception {
    return HandOff.run(pool, Blocks::trivial).get(5, SECONDS);
  }

  /**
   * The generated blocking manager with {@value #IN_FLIGHT} cycles started before any is awaited.
   *
   * @param sink takes the values
   * @throws Exception if a cycle failed or took over five seconds
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(IN_FLIGHT)
  public void generatedBlockingInFlight(Blackhole sink) throws Exception {
    for (int i = 0; i < IN_FLIGHT; i++) {
      results[i] = ManagersHold.of(slots[i]).use(Blocks::trivial);
    }
    awaitAll(sink);
  }

  /**
   * The hand-written hand-off with {@value #IN_FLIGHT} cycles started before any is awaited.
   *
   * @param sink takes the values
   * @throws Exception if a cycle failed or took over five seconds
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(IN_FLIGHT)
  public void handOffBaselineInFlight(Blackhole sink) throws Exception {
    for (int i = 0; i < IN_FLIGHT; i++) {
      results[i] = HandOff.run(slots[i], Blocks::trivial);
    }
    awaitAll(sink);
  }

  private void awaitAll(Blackhole sink) throws Exception {
    for (int i = 0; i < IN_FLIGHT; i++) {
      sink.consume(results[i].get(5, SECONDS));
      results[i] = null;
    }
  }

  /** Fails the run if any teardown was skipped. */
  @TearDown(Level.Iteration)
  public void checkReleased() {
    pool.checkAllReleased(getClass().getSimpleName());
    for (Pool slot : slots) {
      slot.checkAllReleased(getClass().getSimpleName() + " in flight");
    }
  }
}
