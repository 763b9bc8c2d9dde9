package dev.asyncwith;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Small ready-made resources, the counterparts of Python's {@code contextlib} helpers: {@link
 * #aclosing aclosing}, {@link #nullContext(Object) nullcontext}, {@link #closing closing} and
 * {@link #suppress suppress}.
 *
 * <p>Only {@code suppress} suppresses a failure. The others' {@code exit} completes {@code false},
 * or fails with the close's failure, which then wins over the block's (attached to it, rule 5 of
 * the statement in {@code docs/RULES.md}).
 */
public final class AsyncContexts {
  private AsyncContexts() {}

  /**
   * A resource whose enter gives {@code value} and whose exit runs {@code close(value)}: Python's
   * {@code contextlib.aclosing(thing)}, which awaits {@code thing.aclose()} on the way out.
   *
   * <pre>{@code
   * # Python                                         // Java
   * async with aclosing(stream) as s:                aclosing(stream, Stream::closeAsync)
   *     await consume(s)                                 .use(s -> consume(s));
   * }</pre>
   *
   * <p>Exit completes {@code false} once the stage {@code close} returned has completed normally
   * (its value is ignored, as Python ignores {@code aclose()}'s), and fails with its failure
   * otherwise; a throw from {@code close}, or a {@code null} stage (a {@link NullPointerException}
   * naming it), counts as such a failure. The resource may be used more than once; each use
   * closes.
   *
   * @param value the value bound by {@code as}, and given to {@code close}
   * @param close the asynchronous close, for example {@code Connection::closeAsync}
   * @param <T> the type of the value
   * @return the resource
   * @throws NullPointerException if an argument is {@code null}
   */
  public static <T> AsyncResource<T> aclosing(
      T value, Function<? super T, ? extends CompletionStage<?>> close) {
    return new Aclosing<>(
        Objects.requireNonNull(value, "value"), Objects.requireNonNull(close, "close"));
  }

  /**
   * A resource that does nothing: enter gives {@code value}, exit completes {@code false}.
   * Python's {@code contextlib.nullcontext(enter_result)}, the stand-in where a resource is
   * optional.
   *
   * <pre>{@code
   * AsyncResource<Connection> scope =
   *     borrowed != null ? AsyncContexts.nullContext(borrowed) : pool.lease();
   * scope.use(connection -> query(connection));
   * }</pre>
   *
   * @param value the value bound by {@code as}; may be {@code null}
   * @param <T> the type of the value
   * @return the resource
   */
  public static <T> AsyncResource<T> nullContext(T value) {
    return new NullContext<>(value);
  }

  /**
   * A resource that does nothing and gives {@code null}: Python's {@code contextlib.nullcontext()}.
   *
   * @param <T> the type of the (absent) value
   * @return the resource
   */
  public static <T> AsyncResource<T> nullContext() {
    return new NullContext<>(null);
  }

  /**
   * A resource over a synchronous {@link AutoCloseable}: enter gives {@code closeable}, exit calls
   * {@link AutoCloseable#close()} on the thread that ends the block. Python's {@code
   * contextlib.closing(thing)}, usable in {@code async with} and in an {@link AsyncExitStack}.
   *
   * <p>Exit completes {@code false} when {@code close()} returns, and fails with what it threw
   * otherwise (which then wins over the block's failure, with the block's attached, as a
   * try-with-resources would attach them the other way round).
   *
   * @param closeable the object to close
   * @param <C> its type
   * @return the resource
   * @throws NullPointerException if {@code closeable} is {@code null}
   */
  public static <C extends AutoCloseable> AsyncResource<C> closing(C closeable) {
    return new Closing<>(Objects.requireNonNull(closeable, "closeable"));
  }

  /**
   * A resource that suppresses the listed failures: Python's {@code
   * contextlib.suppress(*exceptions)}. Its {@code exit} completes {@code true} exactly when the
   * block's failure, unwrapped from {@link java.util.concurrent.CompletionException} (rule 3), is
   * an instance of one of {@code types} (subclasses included), so that the statement completes
   * normally with {@code null}; every other failure stands. With no types it suppresses nothing.
   *
   * <pre>{@code
   * # Python                                         // Java
   * async with suppress(FileNotFoundError):          AsyncContexts.suppress(NoSuchFileException.class)
   *     await remove(path)                               .use(ignored -> remove(path));
   * }</pre>
   *
   * <p>The resource holds no state: one instance may be used any number of times, from any
   * thread. Its enter completes with {@code null}.
   *
   * @param types the failure types to suppress; the array is copied
   * @return the resource
   * @throws NullPointerException if {@code types} or one of its elements is {@code null}
   */
  @SafeVarargs
  public static AsyncResource<Void> suppress(Class<? extends Throwable>... types) {
    // Read element by element: handing the varargs array on would defeat @SafeVarargs.
    if (types == null) {
      throw new NullPointerException("types");
    }
    Class<?>[] copy = new Class<?>[types.length];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = Objects.requireNonNull(types[i], "types[" + i + "]");
    }
    return new Suppress(copy);
  }

  private static final class Suppress implements AsyncResource<Void> {
    private final Class<?>[] types;

    Suppress(Class<?>[] types) {
      this.types = types;
    }

    @Override
    public CompletionStage<Void> enter() {
      return Stages.completedNull();
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      if (failure == null) {
        return Stages.FALSE;
      }
      Throwable cause = Failures.unwrap(failure);
      for (Class<?> type : types) {
        if (type.isInstance(cause)) {
          return Stages.TRUE;
        }
      }
      return Stages.FALSE;
    }

    @Override
    public String toString() {
      StringBuilder names = new StringBuilder("suppress(");
      for (int i = 0; i < types.length; i++) {
        names.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
      }
      return names.append(')').toString();
    }
  }

  private static final class Aclosing<T> implements AsyncResource<T> {
    private final T value;
    private final Function<? super T, ? extends CompletionStage<?>> close;

    Aclosing(T value, Function<? super T, ? extends CompletionStage<?>> close) {
      this.value = value;
      this.close = close;
    }

    @Override
    public CompletionStage<T> enter() {
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      CompletionStage<?> closed;
      try {
        closed = close.apply(value);
      } catch (Throwable thrown) {
        return CompletableFuture.failedFuture(thrown);
      }
      if (closed == null) {
        return CompletableFuture.failedFuture(Failures.returnedNull("the close function " + close));
      }
      if (Stages.now(closed) != Stages.PENDING) {
        return Stages.FALSE;
      }
      CompletableFuture<Boolean> exited = new CompletableFuture<>();
      try {
        closed.whenComplete(
            (ignored, closeFailure) -> {
              if (closeFailure == null) {
                exited.complete(Boolean.FALSE);
              } else {
                exited.completeExceptionally(Failures.unwrap(closeFailure));
              }
            });
      } catch (Throwable thrown) {
        exited.completeExceptionally(thrown);
      }
      return exited;
    }

    @Override
    public String toString() {
      return "aclosing(" + value + ")";
    }
  }

  private static final class NullContext<T> implements AsyncResource<T> {
    private final T value;

    NullContext(T value) {
      this.value = value;
    }

    @Override
    public CompletionStage<T> enter() {
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      return Stages.FALSE;
    }

    @Override
    public String toString() {
      return "nullContext(" + value + ")";
    }
  }

  private static final class Closing<C extends AutoCloseable> implements AsyncResource<C> {
    private final C closeable;

    Closing(C closeable) {
      this.closeable = closeable;
    }

    @Override
    public CompletionStage<C> enter() {
      return CompletableFuture.completedFuture(closeable);
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      try {
        closeable.close();
      } catch (Throwable thrown) {
        return CompletableFuture.failedFuture(thrown);
      }
      return Stages.FALSE;
    }

    @Override
    public String toString() {
      return "closing(" + closeable + ")";
    }
  }
}
