package dev.asyncwith.benchmarks;

import dev.asyncwith.AsyncTaskGroup;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawning and joining N children through an {@link AsyncTaskGroup}, against {@link
 * CompletableFuture#allOf} over the same stages: the price of structured concurrency (the group
 * waits for every child, cancels the others on a failure, never loses one) over a bare join.
 *
 * <ul>
 *   <li>{@code groupDone} / {@code allOfDone}: children whose stages have already completed when
 *       they are spawned (the target: the group's cost per child at most 2x {@code allOf}'s).
 *   <li>{@code groupLater} / {@code allOfLater}: children still pending when spawned, completed
 *       one by one once all are spawned; both sides make the same N futures.
 *   <li>{@code groupBlocking}: N blocking children ({@code spawnBlocking}, a thread each, virtual
 *       on JDK 21+) that return at once; on JDK 25 a separate benchmark compares it with {@code
 *       StructuredTaskScope}.
 * </ul>
 *
 * <p>Every operation checks that the join completed with the expected outcome.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TaskGroupBenchmark {

  /** How many children each operation spawns and joins. */
  @Param({"10", "1000"})
  public int children;

  private CompletableFuture<?>[] completed;
  private Supplier<CompletionStage<Integer>>[] completedTasks;
  private Callable<Integer> blockingTask;

  private static final CompletableFuture<Void> BLOCK = CompletableFuture.completedFuture(null);

  /** Creates the benchmark state; JMH calls it. */
  public TaskGroupBenchmark() {}

  /** Makes the N completed stages both sides join, and a task returning each. */
  @Setup
  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
  public void makeStages() {
    completed = new CompletableFuture<?>[children];
    completedTasks = new Supplier[children];
    for (int i = 0; i < children; i++) {
      CompletableFuture<Integer> stage = CompletableFuture.completedFuture(i);
      completed[i] = stage;
      completedTasks[i] = () -> stage;
    }
    blockingTask = () -> Blocks.VALUE;
  }

  /**
   * The group over children already complete.
   *
   * @return the joined statement's value
   */
  @Benchmark
  public Object groupDone() {
    Supplier<CompletionStage<Integer>>[] tasks = completedTasks;
    return new AsyncTaskGroup()
        .use(tg -> {
          for (Supplier<CompletionStage<Integer>> task : tasks) {
            tg.spawn(task);
          }
          return BLOCK;
        })
        .join();
  }

  /**
   * {@code allOf} over the same stages.
   *
   * @return the joined value
   */
  @Benchmark
  public Object allOfDone() {
    return CompletableFuture.allOf(completed).join();
  }

  /**
   * The group over children pending when spawned, completed once all are spawned.
   *
   * @return the joined statement's value
   */
  @Benchmark
  public Object groupLater() {
    int n = children;
    CompletableFuture<?>[] pending = new CompletableFuture<?>[n];
    CompletableFuture<Void> result = new AsyncTaskGroup().use(tg -> {
      for (int i = 0; i < n; i++) {
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        pending[i] = stage;
        tg.spawn(() -> stage);
      }
      return BLOCK;
    });
    for (int i = 0; i < n; i++) {
      pending[i].complete(null);
    }
    return expectDone(result);
  }

  /**
   * {@code allOf} over children pending when joined, completed one by one.
   *
   * @return the joined value
   */
  @Benchmark
  public Object allOfLater() {
    int n = children;
    CompletableFuture<?>[] pending = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      pending[i] = new CompletableFuture<Integer>();
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(pending);
    for (int i = 0; i < n; i++) {
      pending[i].complete(null);
    }
    return expectDone(all);
  }

  /**
   * The group over N blocking children, each on a thread of its own, returning at once.
   *
   * @return the joined statement's value
   */
  @Benchmark
  public Object groupBlocking() {
    int n = children;
    Callable<Integer> task = blockingTask;
    return new AsyncTaskGroup()
        .use(tg -> {
          for (int i = 0; i < n; i++) {
            tg.spawnBlocking(task);
          }
          return BLOCK;
        })
        .join();
  }

  private static Object expectDone(CompletableFuture<Void> result) {
    if (!result.isDone() || result.isCompletedExceptionally()) {
      throw new IllegalStateException("the join did not complete at once: " + result);
    }
    return result.join();
  }
}
