package dev.asyncwith.benchmarks;

import dev.asyncwith.benchmarks.Pool.Handle;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scale: the heap each concurrently open context holds, measured after full collections (not a
 * JMH benchmark: it measures memory held, not time).
 *
 * <p>For each kind, it opens {@code n} statements whose blocks stay pending, collects, reads the
 * used heap, then completes every block and checks each statement finished and released. The
 * blocks, the pools and the result array are made before the first reading, so the difference
 * is what the open statements themselves hold: the manager, the engine's state, the stages and
 * closures, the result future, and for the blocking style the generator thread with its stack
 * (on the heap for a virtual thread; outside it for a platform thread, so the resident set size
 * is reported beside).
 *
 * <p>Usage: {@code OpenContexts [--nonblocking N] [--blocking N] [--out FILE]}. Defaults:
 * 1,000,000 non-blocking; 100,000 blocking on virtual threads, 5,000 on platform threads.
 */
public final class OpenContexts {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private OpenContexts() {}

  /**
   * Measures and prints the table.
   *
   * @param args the options described on the class
   * @throws Exception if a context fails to open, finish or release
   */
  public static void main(String[] args) throws Exception {
    int nonBlocking = 1_000_000;
    int blocking = EngineThreads.kind().equals("virtual") ? 100_000 : 5_000;
    Path outFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nonblocking" -> nonBlocking = Integer.parseInt(args[++i]);
        case "--blocking" -> blocking = Integer.parseInt(args[++i]);
        case "--out" -> outFile = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("asyncwith open contexts, ").append(Machine.now()).append('\n');
    out.append(Machine.jdk()).append('\n').append(Machine.host()).append('\n');
    out.append("max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB; ")
        .append("heap after full collections; blocks kept pending\n\n");
    out.append(String.format(Locale.ROOT, "%-26s %10s %14s %10s %14s%n",
        "kind", "open", "heap B/context", "x floor", "RSS B/context"));

    Measured floor = nonBlocking(nonBlocking, "floor (hand-written chain)", (pool, body) ->
        pool.acquire().thenCompose(handle ->
            body.apply(handle).whenComplete((value, failure) -> pool.release(handle))));
    row(out, floor, floor);
    Measured minimum = nonBlocking(nonBlocking, "rule minimum (sketch)", (pool, body) ->
        new RuleMinimumOpenLease(pool).open(body));
    row(out, minimum, floor);
    row(out, nonBlocking(nonBlocking, "hand-written use", (pool, body) ->
        new HandWrittenLease(pool).use(body)), floor);
    Measured generated = nonBlocking(nonBlocking, "generated non-blocking", (pool, body) ->
        ManagersLease.of(pool).use(body));
    row(out, generated, floor);
    Measured handOff = blocking(blocking, "hand-off baseline", HandOff::run);
    row(out, handOff, handOff);
    row(out, blocking(blocking, "generated blocking", (pool, body) ->
        ManagersHold.of(pool).use(body)), handOff);
    out.append("\n(blocking rows: x is against the hand-off baseline; threads: ")
        .append(EngineThreads.kind()).append(")\n");
    double heap = generated.heapPerContext() / floor.heapPerContext();
    out.append(String.format(Locale.ROOT,
        "%nIssue 13 target:%n  [%s] heap per open generated non-blocking context <= 1.5x the"
            + " floor's: %.2fx (%.1f vs %.1f B)%n"
            + "  [info]   the rule minimum (RuleMinimumOpenLease, the fewest objects we found that"
            + " keep the rules): %.2fx the floor's (%.1f B); generated against it: %.2fx%n",
        heap <= 1.5 ? "MET   " : "MISSED", heap, generated.heapPerContext(),
        floor.heapPerContext(), minimum.heapPerContext() / floor.heapPerContext(),
        minimum.heapPerContext(), generated.heapPerContext() / minimum.heapPerContext()));
    System.out.print(out);
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, out);
    }
  }

  /** Opens one statement over {@code pool} with {@code body}. */
  @FunctionalInterface
  private interface Opener {
    CompletionStage<Integer> open(
        Pool pool, Function<Handle, ? extends CompletionStage<Integer>> body);
  }

  /** What one kind held. */
  private record Measured(String kind, int open, double heapPerContext, double rssPerContext) {}

  private static void row(StringBuilder out, Measured measured, Measured reference) {
    out.append(String.format(Locale.ROOT, "%-26s %10d %14.1f %10s %14.0f%n",
        measured.kind(), measured.open(), measured.heapPerContext(),
        measured == reference ? "1.00x" : String.format(Locale.ROOT, "%.2fx",
            measured.heapPerContext() / reference.heapPerContext()),
        measured.rssPerContext()));
  }

  private static Measured nonBlocking(int count, String kind, Opener opener) throws Exception {
    Pool pool = new Pool();
    List<CompletableFuture<Integer>> blocks = pendingBlocks(count);
    // One body object for every statement: each call hands out the next pending block, so the
    // body allocates nothing per context. Non-blocking statements call it on this thread.
    Function<Handle, CompletionStage<Integer>> body = new Function<>() {
      private int next;

      @Override
      public CompletionStage<Integer> apply(Handle handle) {
        return blocks.get(next++);
      }
    };
    List<CompletionStage<Integer>> statements = new ArrayList<>(count);
    long heapBefore = usedHeapAfterGc();
    long rssBefore = residentSetSize();
    for (int i = 0; i < count; i++) {
      statements.add(opener.open(pool, body));
    }
    if (pool.open() != count) {
      throw new IllegalStateException(kind + ": " + pool.open() + " of " + count + " open");
    }
    long heapAfter = usedHeapAfterGc();
    long rssAfter = residentSetSize();
    finish(kind, blocks, statements);
    pool.checkAllReleased(kind);
    return new Measured(kind, count,
        (double) (heapAfter - heapBefore) / count, (double) (rssAfter - rssBefore) / count);
  }

  private static Measured blocking(int count, String kind, Opener opener) throws Exception {
    List<Pool> pools = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pools.add(new Pool());
    }
    List<CompletableFuture<Integer>> blocks = pendingBlocks(count);
    AtomicInteger entered = new AtomicInteger();
    // Blocking statements call the body on their generator threads, concurrently.
    Function<Handle, CompletionStage<Integer>> body =
        handle -> blocks.get(entered.getAndIncrement());
    List<CompletionStage<Integer>> statements = new ArrayList<>(count);
    long heapBefore = usedHeapAfterGc();
    long rssBefore = residentSetSize();
    for (int i = 0; i < count; i++) {
      statements.add(opener.open(pools.get(i), body));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (entered.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(kind + ": only " + entered.get() + " of " + count
            + " blocks started within 60 s");
      }
      Thread.sleep(10);
    }
    long heapAfter = usedHeapAfterGc();
    long rssAfter = residentSetSize();
    finish(kind, blocks, statements);
    for (Pool pool : pools) {
      pool.checkAllReleased(kind);
    }
    return new Measured(kind, count,
        (double) (heapAfter - heapBefore) / count, (double) (rssAfter - rssBefore) / count);
  }

  private static List<CompletableFuture<Integer>> pendingBlocks(int count) {
    List<CompletableFuture<Integer>> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      blocks.add(new CompletableFuture<>());
    }
    return blocks;
  }

  private static void finish(
      String kind,
      List<CompletableFuture<Integer>> blocks,
      List<CompletionStage<Integer>> statements)
      throws Exception {
    for (CompletableFuture<Integer> block : blocks) {
      block.complete(Blocks.VALUE);
    }
    for (CompletionStage<Integer> statement : statements) {
      Integer value = statement.toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (value != Blocks.VALUE) {
        throw new IllegalStateException(kind + ": a statement finished with " + value);
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    // Two collections, keeping the lower reading: reference processing can free more on the
    // second pass.
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static long residentSetSize() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: no resident set size.
    }
    return 0;
  }
}
