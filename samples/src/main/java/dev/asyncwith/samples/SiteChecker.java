package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;

import dev.asyncwith.AsyncContexts;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncTaskGroup;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Checks several sites concurrently, five ways, printing {@code <url>: status -> <code>} and
 * {@code <url>: type -> <the first 15 characters of the body>} for each: the Java version of
 *
 * <pre>{@code
 * async def check(session, url):
 *     async with session.get(url) as response:
 *         print(f"{url}: status -> {response.status}")
 *         html = await response.text()
 *         print(f"{url}: type -> {html[:15]}")
 *
 * async def main(urls):
 *     async with aiohttp.ClientSession() as session:
 *         await asyncio.gather(*(check(session, url) for url in urls))
 * }</pre>
 *
 * <ol type="a">
 *   <li>nested {@code use} calls, with resources made on the spot by the runtime's
 *       {@code contextlib} helpers ({@link AsyncContexts});
 *   <li>a hand-written {@link AsyncResource} class, {@link ClientSession};
 *   <li>generator-style {@code @AsyncContextManager} methods, {@link Http#session} and
 *       {@link Http#get}, compiled into {@code HttpSession} and {@code HttpGet};
 *   <li>an {@link AsyncTaskGroup} in place of {@code gather} (Python's {@code asyncio.TaskGroup}),
 *       each check catching its own failure, so that one broken site does not stop the others, and
 *       a count of the per-site results read from the futures {@code spawn} returned;
 *   <li>a task group that fails fast: no check catches its failure, so the first one cancels the
 *       requests still in flight, and the statement fails with it once every child has ended.
 * </ol>
 *
 * <p>Without arguments it checks the pages of a {@link LocalSites} server it starts on loopback
 * (one slow, one missing, one that drops the connection); given URLs, it checks those. In (a) to
 * (d), a request that fails is reported as {@code <url>: failed -> <reason>} without stopping the
 * others; in (e) it stops them.
 */
public final class SiteChecker implements Sample {

  /** How many characters of each body are printed. */
  static final int PREFIX_LENGTH = 15;

  /** Creates the sample. */
  public SiteChecker() {}

  @Override
  public String name() {
    return "site-checker";
  }

  @Override
  public String summary() {
    return "checks several URLs concurrently with HttpClient, five ways (local test site by default)";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    if (!args.isEmpty()) {
      checkAllWays(args.stream().map(URI::create).toList(), out);
      return;
    }
    try (LocalSites site = LocalSites.start()) {
      out.println("serving a local site at " + site.base());
      checkAllWays(site.pages(), out);
    }
  }

  private static void checkAllWays(List<URI> urls, PrintStream out) throws Exception {
    out.println("-- (a) nested use calls, with AsyncContexts.aclosing and AsyncContexts.closing");
    await(checkWithNestedUse(urls, out));
    out.println("-- (b) a hand-written AsyncResource: ClientSession");
    await(checkWithSessionClass(urls, out));
    out.println("-- (c) generator-style @AsyncContextManager methods: HttpSession and HttpGet");
    await(checkWithGeneratedManagers(urls, out));
    out.println("-- (d) an AsyncTaskGroup: each site's failure is its own");
    await(checkWithTaskGroup(urls, out));
    out.println("-- (e) an AsyncTaskGroup that fails fast: the first failure cancels the rest");
    await(checkFailingFast(urls, out));
  }

  /**
   * (a) No resource class at all: the session is a client paired with how to close it
   * ({@code aclosing}), and each response body is an {@code AutoCloseable} ({@code closing}).
   */
  static CompletableFuture<Void> checkWithNestedUse(List<URI> urls, PrintStream out) {
    ExecutorService executor = Http.newExecutor();
    HttpClient client = Http.newClient(executor);
    out.println("session opened");
    AsyncResource<HttpClient> session =
        AsyncContexts.aclosing(
            client,
            unused -> {
              executor.shutdown();
              out.println("session closed");
              return CompletableFuture.completedFuture(null);
            });
    return session.use(
        http ->
            checkAll(
                urls,
                url ->
                    http.sendAsync(Http.request(url), BodyHandlers.ofInputStream())
                        .thenCompose(
                            response ->
                                AsyncContexts.closing(response.body())
                                    .use(body -> report(url, response.statusCode(), body, executor, out))),
                out));
  }

  /** (b) The hand-written session class, whose {@code get} returns a response resource. */
  static CompletableFuture<Void> checkWithSessionClass(List<URI> urls, PrintStream out) {
    return new ClientSession(out)
        .use(
            session ->
                checkAll(
                    urls,
                    url ->
                        session
                            .get(url)
                            .use(
                                response ->
                                    report(url, response.statusCode(), response.body(), session.executor(), out)),
                    out));
  }

  /** (c) The managers the processor generated from {@link Http#session} and {@link Http#get}. */
  static CompletableFuture<Void> checkWithGeneratedManagers(List<URI> urls, PrintStream out) {
    return HttpSession.of(out)
        .use(
            client ->
                checkAll(
                    urls,
                    url -> getAndReport(client, url, out),
                    out));
  }

  /**
   * (d) Python's
   * <pre>{@code
   * async with session() as client, asyncio.TaskGroup() as tg:
   *     checks = [tg.create_task(check_or_report(client, url)) for url in urls]
   * print(f"{len(urls)} sites checked: ...")
   * }</pre>
   * Each child catches its own failure, as {@code check_or_report} would with {@code try/except},
   * so the group never sees one and every site is checked. The group's statement completes only
   * when every child has, so the per-site results can be read from the children's futures then.
   */
  static CompletableFuture<Void> checkWithTaskGroup(List<URI> urls, PrintStream out) {
    List<CompletableFuture<Boolean>> answered = new ArrayList<>();
    return HttpSession.of(out)
        .use(
            client ->
                new AsyncTaskGroup()
                    .use(
                        tg -> {
                          for (URI url : urls) {
                            answered.add(
                                tg.spawn(
                                    () ->
                                        getAndReport(client, url, out)
                                            .thenApply(reported -> true)
                                            .exceptionally(
                                                failure -> {
                                                  reportFailure(url, failure, out);
                                                  return false;
                                                })));
                          }
                          return CompletableFuture.completedFuture(null);
                        }))
        .thenRun(
            () -> {
              long ok = answered.stream().filter(CompletableFuture::join).count();
              out.println(
                  urls.size() + " sites checked: " + ok + " answered, " + (urls.size() - ok) + " failed");
            });
  }

  /**
   * (e) Python's {@code async with asyncio.TaskGroup() as tg:} with checks that do not catch their
   * failures: the first failure cancels the requests still in flight (the child is {@code
   * sendAsync}'s own future, whose cancel aborts the exchange), and the statement fails with it
   * once every child has ended. Each site's line says how its check ended.
   */
  static CompletableFuture<Void> checkFailingFast(List<URI> urls, PrintStream out) {
    return HttpSession.of(out)
        .use(
            client ->
                new AsyncTaskGroup()
                    .use(
                        tg -> {
                          for (URI url : urls) {
                            tg.spawn(() -> client.sendAsync(Http.request(url), BodyHandlers.ofString()))
                                .whenComplete((response, failure) -> reportOrCancelled(url, response, failure, out));
                          }
                          return CompletableFuture.completedFuture(null);
                        }))
        .handle(
            (ignored, failure) -> {
              out.println(
                  failure == null
                      ? "all " + urls.size() + " sites answered"
                      : "failed fast -> " + describe(failure));
              return null;
            });
  }

  private static void reportOrCancelled(
      URI url, HttpResponse<String> response, Throwable failure, PrintStream out) {
    if (failure == null) {
      String body = response.body();
      printReport(
          url,
          response.statusCode(),
          body.substring(0, Math.min(PREFIX_LENGTH, body.length())).replace('\r', ' ').replace('\n', ' '),
          out);
    } else if (failure instanceof CancellationException) {
      out.println(url + ": cancelled");
    } else {
      reportFailure(url, failure, out);
    }
  }

  /**
   * Starts {@code check} for every URL at once and completes when all have finished: Python's
   * {@code asyncio.gather}. A check that fails is reported, and does not fail the others.
   */
  private static CompletableFuture<Void> checkAll(
      List<URI> urls, Function<URI, CompletionStage<Void>> check, PrintStream out) {
    CompletableFuture<?>[] checks =
        urls.stream()
            .map(
                url ->
                    check
                        .apply(url)
                        .exceptionally(
                            failure -> {
                              reportFailure(url, failure, out);
                              return null;
                            })
                        .toCompletableFuture())
            .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(checks);
  }

  /** GETs {@code url} through the generated {@code HttpGet} manager and reports the response. */
  private static CompletableFuture<Void> getAndReport(HttpClient client, URI url, PrintStream out) {
    return HttpGet.of(client, url)
        .use(
            response ->
                report(
                    url,
                    response.statusCode(),
                    response.body(),
                    client.executor().orElseThrow(),
                    out));
  }

  /** Prints how a site's check failed. */
  private static void reportFailure(URI url, Throwable failure, PrintStream out) {
    out.println(url + ": failed -> " + describe(failure));
  }

  /**
   * Prints a response's status and the start of its body. Reading the body blocks while it
   * streams in, so it runs on {@code reader}, a pool that may block (Python would read it with
   * {@code await}); both lines are printed in one call, so that concurrent checks never
   * interleave them.
   */
  private static CompletableFuture<Void> report(
      URI url, int status, InputStream body, Executor reader, PrintStream out) {
    return CompletableFuture.supplyAsync(() -> Http.firstChars(body, PREFIX_LENGTH), reader)
        .thenAccept(start -> printReport(url, status, start, out));
  }

  /** Prints the status line and the type line in one call, so that checks never interleave them. */
  private static void printReport(URI url, int status, String start, PrintStream out) {
    out.print(
        url + ": status -> " + status + System.lineSeparator()
            + url + ": type -> " + start + System.lineSeparator());
  }

  /** The failure's class and message, from under any {@link CompletionException}. */
  private static String describe(Throwable failure) {
    while (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
  }
}
