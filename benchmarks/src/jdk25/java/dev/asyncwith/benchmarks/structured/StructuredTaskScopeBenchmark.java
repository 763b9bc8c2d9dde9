package dev.asyncwith.benchmarks.structured;

import dev.asyncwith.AsyncTaskGroup;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * N blocking children that return at once, through an {@link AsyncTaskGroup} ({@code
 * spawnBlocking}, a virtual thread each) and through JDK 25's {@link StructuredTaskScope} (a
 * preview API: a fork, a virtual thread each, then {@code join}).
 *
 * <p>JDK 25 only: this source folder is compiled by the benchmarks module's {@code
 * structured-concurrency} profile, active on JDK 25 alone (preview features belong to one
 * release), with {@code --enable-preview}, into a class folder of its own with its own benchmark
 * list; {@code run.sh} adds that folder to its JDK 25 JMH run, started with {@code
 * --enable-preview}. Nothing else in the project uses a preview API.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class StructuredTaskScopeBenchmark {

  private static final Integer VALUE = 42;
  private static final Callable<Integer> TASK = () -> VALUE;
  private static final CompletableFuture<Void> BLOCK = CompletableFuture.completedFuture(null);

  /** How many children each operation starts and joins. */
  @Param({"10", "1000"})
  public int children;

  /** Creates the benchmark state; JMH calls it. */
  public StructuredTaskScopeBenchmark() {}

  /**
   * The group over N blocking children.
   *
   * @return the joined statement's value
   */
  @Benchmark
  public Object groupBlocking() {
    int n = children;
    return new AsyncTaskGroup()
        .use(tg -> {
          for (int i = 0; i < n; i++) {
            tg.spawnBlocking(TASK);
          }
          return BLOCK;
        })
        .join();
  }

  /**
   * {@code StructuredTaskScope} over N forks.
   *
   * @return the last subtask's value
   * @throws InterruptedException if the join is interrupted
   */
  @Benchmark
  public Object structuredTaskScope() throws InterruptedException {
    int n = children;
    try (StructuredTaskScope<Integer, Void> scope = StructuredTaskScope.open()) {
      StructuredTaskScope.Subtask<Integer> last = null;
      for (int i = 0; i < n; i++) {
        last = scope.fork(TASK);
      }
      scope.join();
      return last == null ? null : last.get();
    }
  }
}
