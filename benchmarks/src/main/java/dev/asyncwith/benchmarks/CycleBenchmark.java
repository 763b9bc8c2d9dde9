package dev.asyncwith.benchmarks;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncWith;
import dev.asyncwith.benchmarks.Pool.Handle;
import java.util.concurrent.CompletionStage;
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
import reactor.core.publisher.Mono;

/**
 * The cost of one cycle (enter, an already-complete trivial block, exit) on one thread, for the
 * hand-written floor, the library's statement forms and engines, and the peers.
 *
 * <p>Every non-blocking cycle must complete before its call returns (the block and the pool are
 * synchronous), and {@link Blocks#expectDone} fails the run if one does not; every iteration ends
 * by checking that each acquire was released.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class CycleBenchmark {
  /** How many resources the exit-stack cycle enters. */
  static final int STACK_SIZE = 10;

  private static final Mono<Integer> TRIVIAL_MONO = Mono.just(Blocks.VALUE);

  private final Pool pool = new Pool();

  /** Creates the benchmark state; JMH calls it. */
  public CycleBenchmark() {}

  /**
   * The floor: the acquire/body/release chain written by hand with {@code CompletableFuture}, the
   * same shape as {@link Managers#lease}'s body without the library around it.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer floor() {
    Pool pool = this.pool;
    return Blocks.expectDone(pool.acquire()
        .thenCompose(handle ->
            Blocks.trivial(handle).whenComplete((value, failure) -> pool.release(handle)))
        .toCompletableFuture());
  }

  /**
   * A hand-written {@code AsyncResource} through {@code use}.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer handWrittenUse() {
    return Blocks.expectDone(new HandWrittenLease(pool).use(Blocks::trivial));
  }

  /**
   * The generated non-blocking manager ({@code ManagersLease}) through {@code use}.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer generatedUse() {
    return Blocks.expectDone(ManagersLease.of(pool).use(Blocks::trivial));
  }

  /**
   * The least any engine keeping the rules could do for {@link #generatedUse()}'s cycle: {@link
   * RuleMinimumLease}, with its two atomic claims.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer ruleMinimum() {
    return Blocks.expectDone(new RuleMinimumLease(pool, true).use(Blocks::trivial));
  }

  /**
   * {@link #ruleMinimum()} with plain writes for its two claims, which breaks the single-use and
   * yield-once rules under races: what those atomic claims cost.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer ruleMinimumPlain() {
    return Blocks.expectDone(new RuleMinimumLease(pool, false).use(Blocks::trivial));
  }

  /**
   * The generated blocking manager ({@code ManagersHold}) through {@code use}: a generator thread
   * per cycle, virtual on JDK 21+, platform on 17.
   *
   * @return the block's value
   * @throws Exception if the cycle failed or took over five seconds
   */
  @Benchmark
  public Integer generatedBlocking() throws Exception {
    return ManagersHold.of(pool).use(Blocks::trivial).get(5, SECONDS);
  }

  /**
   * The blocking style's baseline: the same two hand-offs written by hand ({@link HandOff}).
   *
   * @return the block's value
   * @throws Exception if the cycle failed or took over five seconds
   */
  @Benchmark
  public Integer handOffBaseline() throws Exception {
    return HandOff.run(pool, Blocks::trivial).get(5, SECONDS);
  }

  /**
   * Reactor's {@code Mono.usingWhen}, given its most favourable shape: a synchronous acquire, a
   * constant body, and a release that returns {@code Mono.empty()}.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer reactorUsingWhen() {
    Pool pool = this.pool;
    return Blocks.expectDone(Mono.usingWhen(
            Mono.fromSupplier(pool::acquireNow),
            handle -> TRIVIAL_MONO,
            handle -> {
              pool.release(handle);
              return Mono.empty();
            })
        .toFuture());
  }

  /**
   * {@code AsyncWith.with} over two hand-written resources.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer withTwo() {
    return Blocks.expectDone(
        AsyncWith.with(new HandWrittenLease(pool), new HandWrittenLease(pool), Blocks::trivial));
  }

  /**
   * An {@code AsyncExitStack} used as a resource, entering {@value #STACK_SIZE} hand-written
   * resources one after the other before the block.
   *
   * @return the block's value
   */
  @Benchmark
  public Integer exitStackOfTen() {
    Pool pool = this.pool;
    return Blocks.expectDone(new AsyncExitStack().use(stack -> enterThenBlock(stack, pool)));
  }

  private static CompletionStage<Integer> enterThenBlock(AsyncExitStack stack, Pool pool) {
    CompletionStage<Handle> entered = stack.enterContext(new HandWrittenLease(pool));
    for (int i = 1; i < STACK_SIZE; i++) {
      entered = entered.thenCompose(previous -> stack.enterContext(new HandWrittenLease(pool)));
    }
    return entered.thenCompose(Blocks::trivial);
  }

  /** Fails the run if any teardown was skipped. */
  @TearDown(Level.Iteration)
  public void checkReleased() {
    pool.checkAllReleased(getClass().getSimpleName());
  }
}
