package dev.asyncwith.benchmarks;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.benchmarks.Pool.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link RuleMinimumLease} for a context that stays open: the fewest objects we found that an open
 * context of {@link Managers#lease} can hold while keeping the rules, for {@link OpenContexts}. It
 * handles a block that completes later, normally, and a teardown that completes inside the block's
 * end; anything else fails its result with an {@link UnsupportedOperationException}.
 *
 * <p>Beside the objects of the floor's own chain (which the method makes, attached to the yield's
 * stage instead of the block's), an open context holds:
 * <ul>
 *   <li>this one object: the manager (single-use, with its state word), the method's yield, and
 *       the callback on the block's stage all at once, which a real engine cannot be (its generated
 *       class would show {@code yield} and {@code accept} to users);
 *   <li>the result future: it completes only after exit's decision, so it is not the method's
 *       stage, and the caller holds it while the block runs;
 *   <li>the stage the yield returns: it completes when the block has ended (with the block's
 *       outcome, or a cancellation), which is neither the block's stage nor the method's;
 *   <li>the callback's registration on the block's stage: the engine must learn that the block
 *       ended, to resume the method.
 * </ul>
 */
final class RuleMinimumOpenLease implements AsyncYield<Handle>, BiConsumer<Object, Throwable> {
  private static final int ENTERED = 1;
  private static final int YIELDED = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RuleMinimumOpenLease.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Pool pool;
  private int state;
  private Function<Handle, ? extends CompletionStage<Integer>> body;
  private CompletableFuture<Integer> result;
  private CompletableFuture<Void> yieldStage;
  private CompletableFuture<Void> method;
  private Integer value;

  /**
   * Makes the manager for one cycle.
   *
   * @param pool the pool the method leases from
   */
  RuleMinimumOpenLease(Pool pool) {
    this.pool = pool;
  }

  /**
   * Enters, and starts the block at the method's yield.
   *
   * @param body the block
   * @return the result: completes with the block's value once the block and the teardown ended
   */
  CompletableFuture<Integer> open(Function<Handle, ? extends CompletionStage<Integer>> body) {
    if (!STATE.compareAndSet(this, 0, ENTERED)) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("entered twice"));
    }
    this.body = body;
    result = new CompletableFuture<>();
    method = Managers.lease(pool, this).toCompletableFuture();
    return result;
  }

  /**
   * The method's yield: starts the block and returns the stage that completes when it has ended.
   *
   * @param handle the handle
   * @return the yield's stage
   */
  @Override
  public CompletionStage<Void> yield(Handle handle) {
    if (!STATE.compareAndSet(this, ENTERED, YIELDED)) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("yielded twice"));
    }
    CompletionStage<Integer> block = body.apply(handle);
    body = null;
    yieldStage = new CompletableFuture<>();
    block.whenComplete(this);
    return yieldStage;
  }

  /**
   * The block has ended: resumes the method, whose teardown completes its stage here, and
   * completes the result.
   *
   * @param blockValue the block's value
   * @param failure the block's failure
   */
  @Override
  public void accept(Object blockValue, Throwable failure) {
    if (failure != null) {
      result.completeExceptionally(new UnsupportedOperationException("only a normal block"));
      return;
    }
    value = (Integer) blockValue;
    yieldStage.complete(null);
    if (!method.isDone() || method.isCompletedExceptionally()) {
      result.completeExceptionally(
          new UnsupportedOperationException("only a teardown that completes at once"));
      return;
    }
    result.complete(value);
  }
}
