package dev.asyncwith.benchmarks;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.benchmarks.Pool.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A sketch of the least that any generator engine keeping the rules must add to the floor, for one
 * synchronous cycle of {@link Managers#lease}: how close to the floor the generated cycle could
 * ever come. It runs the same method with the same block as {@link CycleBenchmark#generatedUse()},
 * does nothing for the cases that cycle does not meet, and fails with an {@link
 * UnsupportedOperationException} on any other cycle: it is a measuring device, not an engine.
 *
 * <p>What the rules force on top of the floor's work ({@code docs/RULES.md}), and so what the sketch
 * keeps:
 * <ul>
 *   <li>a manager object per cycle: the generated class's {@code of} makes one, and an instance is
 *       single-use (the sketch is also the method's yield, one object fewer than an engine whose
 *       generated class shows no {@code yield} method);
 *   <li>an atomic claim of the instance on enter: a second {@code enter} fails, also when two
 *       threads enter at once;
 *   <li>an atomic claim of the first yield: a second {@code yield} fails and the block runs once,
 *       also when the method yields from two threads at once;
 *   <li>a result future of its own, distinct from the method's stage: the statement's result
 *       completes only after exit's decision. The sketch makes it complete at the end, as the
 *       runtime does for a statement that ends before {@code use} returns.
 * </ul>
 *
 * <p>With {@code atomic} false the two claims are plain writes: that breaks the single-use and
 * yield-once rules under races, and shows what the atomic claims cost.
 */
final class RuleMinimumLease implements AsyncYield<Handle> {
  private static final int ENTERED = 1;
  private static final int YIELDED = 2;
  private static final CompletableFuture<Void> BLOCK_DONE = CompletableFuture.completedFuture(null);
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RuleMinimumLease.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Pool pool;
  private final boolean atomic;
  private int state;
  private Function<Handle, CompletionStage<Integer>> body;
  private CompletableFuture<Integer> block;

  /**
   * Makes the manager for one cycle.
   *
   * @param pool the pool the method leases from
   * @param atomic whether the two claims are atomic, as the rules need
   */
  RuleMinimumLease(Pool pool, boolean atomic) {
    this.pool = pool;
    this.atomic = atomic;
  }

  /**
   * One synchronous cycle: enter, the block at the yield, exit.
   *
   * @param body the block
   * @return a future completed with the block's value
   */
  CompletableFuture<Integer> use(Function<Handle, CompletionStage<Integer>> body) {
    if (!claim(0, ENTERED)) {
      throw new UnsupportedOperationException("entered twice");
    }
    this.body = body;
    CompletableFuture<Void> method = Managers.lease(pool, this).toCompletableFuture();
    if (!method.isDone() || method.isCompletedExceptionally() || block == null) {
      throw new UnsupportedOperationException("only a synchronous, successful cycle");
    }
    // Exit's decision after a block and a method that both completed normally: the block stands.
    return CompletableFuture.completedFuture(block.join());
  }

  /**
   * The method's yield: runs the block, whose stage must have completed.
   *
   * @param value the handle
   * @return a shared completed stage
   */
  @Override
  public CompletionStage<Void> yield(Handle value) {
    if (!claim(ENTERED, YIELDED)) {
      throw new UnsupportedOperationException("yielded twice");
    }
    CompletableFuture<Integer> stage = body.apply(value).toCompletableFuture();
    if (!stage.isDone() || stage.isCompletedExceptionally()) {
      throw new UnsupportedOperationException("only a block that has completed normally");
    }
    block = stage;
    return BLOCK_DONE;
  }

  private boolean claim(int from, int to) {
    if (atomic) {
      return STATE.compareAndSet(this, from, to);
    }
    if (state != from) {
      return false;
    }
    state = to;
    return true;
  }
}
