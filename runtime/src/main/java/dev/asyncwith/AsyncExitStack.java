package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A stack of exit callbacks, unwound last-in first-out: Python's {@code
 * contextlib.AsyncExitStack}, for a number of resources known only at run time.
 *
 * <pre>{@code
 * # Python                                    // Java
 * async with AsyncExitStack() as stack:       new AsyncExitStack().use(stack ->
 *     files = [await stack.enter_async_context(open(name)) for name in names]
 *     ...                                         ...)
 * }</pre>
 *
 * <table>
 *   <caption>Python's methods and their Java counterparts</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>{@code await enter_async_context(cm)}</td><td>{@link #enterContext(AsyncResource)}</td></tr>
 *   <tr><td>{@code enter_context(cm)}, in {@link #call}</td><td>{@link #enterContextAndWait(AsyncResource)}</td></tr>
 *   <tr><td>{@code push_async_exit(exit)}</td><td>{@link #push(AsyncExit)}</td></tr>
 *   <tr><td>{@code push_async_callback(cb)}</td><td>{@link #callback(Supplier)}</td></tr>
 *   <tr><td>{@code pop_all()}</td><td>{@link #popAll()}</td></tr>
 *   <tr><td>{@code await aclose()}</td><td>{@link #close()}</td></tr>
 *   <tr><td>{@code __aenter__} / {@code __aexit__}</td><td>{@link #enter()} / {@link #exit(Throwable)}</td></tr>
 * </table>
 *
 * <p>{@link #exit(Throwable)} runs every callback, the last pushed first, each seeing the failure
 * left by the ones after it: the incoming failure, {@code null} once a callback suppressed it, or
 * the failure a callback raised. Every callback runs even when some raise. The result completes
 * {@code true} when a failure came in and none remains at the end (Python's {@code received and
 * suppressed}), {@code false} when none came in or the incoming one stands unchanged, and fails
 * with the failure that remains when a callback raised one that no earlier-pushed callback
 * suppressed. Consecutive raised failures are chained by {@link Throwable#addSuppressed} (Java's
 * stand-in for Python's {@code __context__}): each raised failure gets the one its callback was
 * given attached, unless it is that failure, already reaches it, or is reached by it. Unlike
 * CPython (gh-102201), a raising callback's failure is never dropped when no failure came in and
 * a later callback raises too.
 *
 * <p>Unwinding is iterative: callbacks whose stages are already complete are run in a loop, so
 * any number of them never grows the stack; a pending stage resumes the loop on the thread that
 * completes it. Callbacks pushed while the stack unwinds are run too, as in Python. The stack is
 * empty afterwards and may be used again.
 *
 * <p>When every callback's stage has already completed, {@code exit} and {@code close} return a
 * shared completed stage rather than a new one; as for any completed stage, nothing can change
 * it ({@code obtrudeValue} and {@code obtrudeException} throw {@link
 * UnsupportedOperationException}).
 *
 * <p>Like {@link ArrayDeque}, a stack is not for concurrent mutation: one logical flow pushes and
 * unwinds at a time. Handing it between threads through a completed stage (as {@link
 * #enterContext} does when it pushes on the thread that completes enter) is fine.
 */
public final class AsyncExitStack implements AsyncResource<AsyncExitStack> {

  /** The callbacks, last pushed last: {@link AsyncResource}s, {@link AsyncExit}s and {@link Callback}s. */
  private ArrayDeque<Object> exits = new ArrayDeque<>();

  /** Creates an empty stack. */
  public AsyncExitStack() {}

  /**
   * Python's {@code __aenter__}: completes with this stack.
   *
   * @return a completed stage of this stack
   */
  @Override
  public CompletionStage<AsyncExitStack> enter() {
    return CompletableFuture.completedFuture(this);
  }

  /**
   * Python's {@code __aexit__}: unwinds every callback, last pushed first, as the class
   * description says.
   *
   * @param failure the failure of the block the stack guarded, or {@code null}
   * @return a stage that completes {@code true} when {@code failure} was given and no failure
   *     remains, {@code false} when none was given or it stands unchanged, or fails with the
   *     failure that remains when a callback raised one; it never throws
   */
  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    return new Unwinding(this, failure, false).start();
  }

  /**
   * Python's {@code aclose()}: {@code exit(null)} without the Boolean.
   *
   * @return a stage that completes when every callback has run, or fails with the failure that
   *     remains; it never throws
   */
  public CompletionStage<Void> close() {
    return new Unwinding(this, null, true).start();
  }

  /**
   * Python's {@code enter_async_context(cm)}: enters {@code resource} and, only once that has
   * succeeded, pushes its {@link AsyncResource#exit(Throwable) exit}, which may suppress a failure.
   * A failed enter propagates and nothing is pushed.
   *
   * <p>The push happens on the thread that completes enter, before the returned stage completes,
   * so code attached to that stage sees it on the stack.
   *
   * @param resource the resource to enter
   * @param <T> the type of its value
   * @return a stage of the value enter completed with, or failed with enter's failure; it never
   *     throws
   * @throws NullPointerException if {@code resource} is {@code null}
   */
  public <T> CompletionStage<T> enterContext(AsyncResource<T> resource) {
    Objects.requireNonNull(resource, "resource");
    CompletionStage<T> entering;
    try {
      entering = resource.enter();
    } catch (Throwable thrown) {
      return CompletableFuture.failedFuture(Failures.unwrap(thrown));
    }
    if (entering == null) {
      return CompletableFuture.failedFuture(
          Failures.returnedNull(resource.getClass().getName() + ".enter()"));
    }
    Object now = Stages.now(entering);
    if (now != Stages.PENDING) {
      exits.addLast(resource);
      @SuppressWarnings("unchecked") // enter's stage is a CompletionStage<T>
      T value = (T) now;
      return CompletableFuture.completedFuture(value);
    }
    CompletableFuture<T> entered = new CompletableFuture<>();
    try {
      entering.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              entered.completeExceptionally(Failures.unwrap(failure));
            } else {
              exits.addLast(resource);
              entered.complete(value);
            }
          });
    } catch (Throwable thrown) {
      entered.completeExceptionally(thrown);
    }
    return entered;
  }

  /**
   * Python's {@code ExitStack.enter_context(cm)}, for a stack used through {@link #call}: enters
   * {@code resource}, waits on the calling thread for its value and, once enter has succeeded,
   * pushes its {@link AsyncResource#exit(Throwable) exit}. A failed enter is thrown as it is, and
   * nothing is pushed.
   *
   * <pre>{@code
   * new AsyncExitStack().call(stack -> {
   *   Connection a = stack.enterContextAndWait(Pools.lease(primary));
   *   Connection b = stack.enterContextAndWait(Pools.lease(replica));
   *   return copy(a, b);
   * });
   * }</pre>
   *
   * <p>The wait is {@code call}'s wait for enter: interruptible, and after an interrupt, enter's
   * stage is left running and, once it completes, the resource is exited with a {@link
   * java.util.concurrent.CancellationException} (nothing is pushed, nothing is left unreleased).
   *
   * @param resource the resource to enter
   * @param <T> the type of its value
   * @return the value enter completed with
   * @throws Exception enter's failure, as it is
   * @throws InterruptedException if interrupted while waiting for enter
   * @throws NullPointerException if {@code resource} is {@code null}
   */
  public <T> T enterContextAndWait(AsyncResource<T> resource) throws Exception {
    T value = CallStatement.enterAndWait(Objects.requireNonNull(resource, "resource"));
    exits.addLast(resource);
    return value;
  }

  /**
   * Python's {@code push_async_exit(exit)}: pushes a callback shaped like {@code __aexit__}, which
   * sees the failure and may suppress it by completing {@code true}.
   *
   * @param exit the callback
   * @throws NullPointerException if {@code exit} is {@code null}
   */
  public void push(AsyncExit exit) {
    exits.addLast(Objects.requireNonNull(exit, "exit"));
  }

  /**
   * Python's {@code push_async_callback(callback)}: pushes a callback that ignores the failure and
   * cannot suppress it. Its stage's value is ignored; a failure of it (or a throw, or a {@code
   * null} stage) is raised like any callback's.
   *
   * @param callback the callback, for example {@code () -> connection.closeAsync()}
   * @throws NullPointerException if {@code callback} is {@code null}
   */
  public void callback(Supplier<? extends CompletionStage<?>> callback) {
    exits.addLast(new Callback(Objects.requireNonNull(callback, "callback")));
  }

  /**
   * Python's {@code pop_all()}: moves every callback to a new stack and leaves this one empty, so
   * that the resources outlive this stack (for example, when a constructor that acquired several
   * of them succeeded).
   *
   * @return a new stack holding the callbacks this one held
   */
  public AsyncExitStack popAll() {
    AsyncExitStack moved = new AsyncExitStack();
    moved.exits = exits;
    exits = new ArrayDeque<>();
    return moved;
  }

  /** A callback pushed by {@link #callback(Supplier)}: ignores the failure, never suppresses. */
  private static final class Callback {
    final Supplier<? extends CompletionStage<?>> supplier;

    Callback(Supplier<? extends CompletionStage<?>> supplier) {
      this.supplier = supplier;
    }
  }

  /**
   * One unwinding of the stack: a loop over the callbacks that runs on whichever thread completed
   * the last pending stage, with Python's {@code received}, {@code suppressed} and {@code
   * pending_raise} bookkeeping.
   */
  private static final class Unwinding implements BiConsumer<Object, Throwable> {
    private static final int RUNNING = 0;
    /** Attaching to a pending stage; its outcome may arrive before the attaching returns. */
    private static final int ATTACHING = 1;
    /** The outcome arrived while attaching: the loop, still running, takes it. */
    private static final int DELIVERED = 2;
    /** The loop has returned; whoever delivers the outcome continues it. */
    private static final int WAITING = 3;

    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Unwinding.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final AsyncExitStack stack;
    private final boolean received;
    private final boolean closing;
    /**
     * The stage {@link #start} returned, made only when the loop first waits for a pending stage
     * (and published to the thread that resumes it by {@link #state}); {@code null} while every
     * callback has completed at once, so that such an unwinding ends with a shared stage.
     */
    private CompletableFuture<Object> result;
    /** What a loop that never waited ended with, for {@link #start} to return. */
    private CompletionStage<?> endedAtOnce;
    /** The failure the next callback sees. */
    private Throwable current;
    /** Whether a callback suppressed something. */
    private boolean suppressed;
    /** Whether {@link #current} was raised by a callback. */
    private boolean raised;
    /** Whether the callback awaited is a {@link Callback}, whose value is ignored. */
    private boolean awaitingPlainCallback;
    private Object deliveredValue;
    private Throwable deliveredFailure;
    private volatile int state;

    Unwinding(AsyncExitStack stack, Throwable failure, boolean closing) {
      this.stack = stack;
      this.received = failure != null;
      this.current = failure;
      this.closing = closing;
    }

    /**
     * Runs the loop and returns the stage of its outcome: a shared completed stage for a {@code
     * true}, {@code false} or {@code null} outcome when no callback's stage was pending (the
     * common case allocates nothing more), else the future the loop completes when it ends.
     */
    @SuppressWarnings("unchecked") // a Boolean stage for exit, a Void stage when closing
    <V> CompletionStage<V> start() {
      run();
      CompletionStage<?> outcome = result != null ? result : endedAtOnce;
      return (CompletionStage<V>) outcome;
    }

    void run() {
      for (; ; ) {
        Object exit = stack.exits.pollLast();
        if (exit == null) {
          finish();
          return;
        }
        boolean plain = exit instanceof Callback;
        CompletionStage<?> stage;
        try {
          stage = call(exit);
        } catch (Throwable thrown) {
          raised(thrown);
          continue;
        }
        if (stage == null) {
          raised(Failures.returnedNull(describe(exit)));
          continue;
        }
        Object now = Stages.now(stage);
        if (now != Stages.PENDING) {
          returned(plain, now);
          continue;
        }
        awaitingPlainCallback = plain;
        if (result == null) {
          // Made before the loop may return, so that start() returns it and the thread that
          // resumes the loop (after the state change below) completes it.
          result = new CompletableFuture<>();
        }
        state = ATTACHING;
        try {
          stage.whenComplete(this);
        } catch (Throwable thrown) {
          if (STATE.compareAndSet(this, ATTACHING, RUNNING)) {
            raised(thrown);
            continue;
          }
          Failures.reportUncaught(thrown);
        }
        if (STATE.compareAndSet(this, ATTACHING, WAITING)) {
          return; // accept continues the loop
        }
        state = RUNNING;
        takeDelivered();
      }
    }

    /** The outcome of the pending stage the loop attached to. */
    @Override
    public void accept(Object value, Throwable failure) {
      deliveredValue = value;
      deliveredFailure = failure;
      if (STATE.compareAndSet(this, ATTACHING, DELIVERED)) {
        return; // delivered inside whenComplete: the loop takes it
      }
      if (STATE.compareAndSet(this, WAITING, RUNNING)) {
        try {
          takeDelivered();
          run();
        } catch (Throwable bug) {
          Failures.reportUncaught(bug);
        }
      }
    }

    private void takeDelivered() {
      Throwable failure = deliveredFailure;
      Object value = deliveredValue;
      deliveredFailure = null;
      deliveredValue = null;
      if (failure != null) {
        raised(failure);
      } else {
        returned(awaitingPlainCallback, value);
      }
    }

    private CompletionStage<?> call(Object exit) {
      if (exit instanceof Callback) {
        return ((Callback) exit).supplier.get();
      }
      if (exit instanceof AsyncResource) {
        return ((AsyncResource<?>) exit).exit(current);
      }
      return ((AsyncExit) exit).exit(current);
    }

    private static String describe(Object exit) {
      if (exit instanceof Callback) {
        return "the callback " + ((Callback) exit).supplier;
      }
      if (exit instanceof AsyncResource) {
        return exit.getClass().getName() + ".exit(Throwable)";
      }
      return "the exit callback " + exit;
    }

    private void returned(boolean plain, Object value) {
      if (!plain && Boolean.TRUE.equals(value)) {
        suppressed = true;
        raised = false;
        current = null;
      }
    }

    private void raised(Throwable thrown) {
      Throwable failure = Failures.unwrap(thrown);
      current = Failures.attach(failure, current);
      raised = true;
    }

    private void finish() {
      CompletableFuture<Object> pending = result;
      if (pending == null) {
        endedAtOnce =
            raised
                ? CompletableFuture.failedFuture(current)
                : closing ? Stages.completedNull() : Stages.of(received && suppressed);
      } else if (raised) {
        pending.completeExceptionally(current);
      } else {
        pending.complete(closing ? null : received && suppressed);
      }
    }
  }
}
