package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncWith;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Several resources in one statement, and a number of them known only at run time.
 *
 * <ul>
 *   <li>{@link AsyncWith#with(AsyncResource, AsyncResource, java.util.function.BiFunction)} is
 *       Python's {@code async with a as x, b as y:}; resources are entered left to right and
 *       released right to left.
 *   <li>{@link AsyncExitStack} is {@code contextlib.AsyncExitStack}: enter as many resources as
 *       you need, one after another; they are released last-entered first, and a resource whose
 *       enter fails releases those entered before it.
 * </ul>
 *
 * <p>Every resource here is {@link Resources#named}, generated into {@code ResourcesNamed}, which
 * prints when it is acquired and released so that the order shows.
 */
public final class SeveralResources implements Sample {

  /** Creates the sample. */
  public SeveralResources() {}

  @Override
  public String name() {
    return "several-resources";
  }

  @Override
  public String summary() {
    return "several resources in one statement (AsyncWith.with) and a dynamic number (AsyncExitStack)";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    out.println("-- two resources: AsyncWith.with(a, b, body)");
    // async with named("database") as db, named("cache") as cache: ...
    String pair =
        await(
            AsyncWith.with(
                ResourcesNamed.of("database", out),
                ResourcesNamed.of("cache", out),
                (database, cache) -> {
                  out.println("using " + database + " and " + cache);
                  return CompletableFuture.completedFuture(database + "+" + cache);
                }));
    check(pair.equals("database+cache"), "the statement completes with the block's value");

    out.println("-- three resources: AsyncWith.with(a, b, c, body)");
    await(
        AsyncWith.with(
            ResourcesNamed.of("config", out),
            ResourcesNamed.of("database", out),
            ResourcesNamed.of("cache", out),
            (config, database, cache) -> {
              out.println("using " + config + ", " + database + " and " + cache);
              return CompletableFuture.completedFuture(null);
            }));

    out.println("-- a number known only at run time: AsyncExitStack");
    List<String> shards = List.of("shard-0", "shard-1", "shard-2", "shard-3");
    int used = await(new AsyncExitStack().use(stack -> useAll(stack, shards, out)));
    check(used == shards.size(), "every shard was entered");

    out.println("-- an enter that fails part-way: only what was acquired is released");
    List<AsyncResource<String>> resources =
        List.of(
            ResourcesNamed.of("shard-0", out),
            ResourcesNamed.of("shard-1", out),
            new Unavailable("shard-2", out),
            ResourcesNamed.of("shard-3", out));
    try {
      await(new AsyncExitStack().use(stack -> enterAll(stack, resources)));
      check(false, "entering an unavailable resource fails the statement");
    } catch (IllegalStateException unavailable) {
      out.println("caller saw " + unavailable);
    }
  }

  /**
   * The block of the exit-stack statement: enters one resource per shard, one after another, then
   * uses them all. In Python:
   *
   * <pre>{@code
   * async with AsyncExitStack() as stack:
   *     stack.push_async_callback(report_released)
   *     names = [await stack.enter_async_context(named(s)) for s in shards]
   *     print("using", ", ".join(names))
   * }</pre>
   */
  private static CompletionStage<Integer> useAll(
      AsyncExitStack stack, List<String> shards, PrintStream out) {
    // Pushed first, so it runs last: after every shard has been released.
    stack.callback(
        () -> {
          out.println("callback: every shard is released");
          return CompletableFuture.completedFuture(null);
        });
    List<AsyncResource<String>> resources = new ArrayList<>();
    for (String shard : shards) {
      resources.add(ResourcesNamed.of(shard, out));
    }
    return enterAll(stack, resources)
        .thenApply(
            names -> {
              out.println("using " + String.join(", ", names));
              return names.size();
            });
  }

  /**
   * Enters each resource on {@code stack}, strictly one after another (the next enter starts when
   * the previous one has completed), and completes with the values they bound, in order.
   */
  private static CompletionStage<List<String>> enterAll(
      AsyncExitStack stack, List<AsyncResource<String>> resources) {
    CompletionStage<List<String>> entered = CompletableFuture.completedFuture(new ArrayList<>());
    for (AsyncResource<String> resource : resources) {
      entered =
          entered.thenCompose(
              names ->
                  stack
                      .enterContext(resource)
                      .thenApply(
                          name -> {
                            names.add(name);
                            return names;
                          }));
    }
    return entered;
  }

  /**
   * A hand-written resource whose enter fails, as a connection to a server that is down would;
   * its exit is never called, since nothing was acquired.
   */
  private static final class Unavailable implements AsyncResource<String> {
    private final String name;
    private final PrintStream out;

    Unavailable(String name, PrintStream out) {
      this.name = name;
      this.out = out;
    }

    @Override
    public CompletionStage<String> enter() {
      out.println("acquire " + name + " failed");
      return CompletableFuture.failedFuture(new IllegalStateException(name + " is unavailable"));
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      // Never printed: a resource whose enter failed is not exited.
      out.println("release " + name);
      return CompletableFuture.completedFuture(false);
    }
  }
}
