package dev.asyncwith.samples;

import dev.asyncwith.AsyncResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A hand-written asynchronous resource: an HTTP session that opens in {@link #enter()} and
 * closes in {@link #exit(Throwable)}, like {@code aiohttp.ClientSession}. Its {@link #get(URI)}
 * returns another hand-written resource, the response, whose exit closes the body:
 *
 * <pre>{@code
 * new ClientSession(log).use(session ->
 *     session.get(url).use(response -> ...))
 * }</pre>
 *
 * <p>Compare {@link Http#session} and {@link Http#get}: the same two resources as generator
 * methods, from which the processor writes these classes' equivalents.
 */
public final class ClientSession implements AsyncResource<ClientSession> {

  private final PrintStream log;
  // Set by enter; the block and exit see them through the completion of enter's stage.
  private ExecutorService executor;
  private HttpClient client;

  /**
   * Creates a session, not open yet: {@link #use} opens it.
   *
   * @param log where the session says when it opens and closes
   */
  public ClientSession(PrintStream log) {
    this.log = log;
  }

  /** Opens the session: Python's {@code __aenter__}, which returns the session itself. */
  @Override
  public CompletionStage<ClientSession> enter() {
    if (client != null) {
      return CompletableFuture.failedFuture(new IllegalStateException("a session opens once"));
    }
    executor = Http.newExecutor();
    client = Http.newClient(executor);
    log.println("session opened");
    return CompletableFuture.completedFuture(this);
  }

  /**
   * Closes the session: Python's {@code __aexit__}. It completes {@code false}, so the block's
   * failure, if any, stands.
   */
  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    executor.shutdown();
    log.println("session closed");
    return CompletableFuture.completedFuture(false);
  }

  /**
   * A GET request for {@code url}, as a resource: entering sends the request and binds the
   * response once its headers have arrived; exiting closes the response body.
   *
   * @param url the page to get
   * @return the request, to {@code use}
   * @throws IllegalStateException if the session is not open
   */
  public AsyncResource<HttpResponse<InputStream>> get(URI url) {
    if (client == null) {
      throw new IllegalStateException("the session is not open: call get inside use");
    }
    return new Response(client, url);
  }

  /**
   * The pool the session's client runs on; a block may run blocking reads of a body there.
   *
   * @return the session's executor
   */
  public Executor executor() {
    return executor;
  }

  /** A response as a resource: Python's {@code async with session.get(url) as response:}. */
  private static final class Response implements AsyncResource<HttpResponse<InputStream>> {
    private final HttpClient client;
    private final URI url;
    private HttpResponse<InputStream> response;

    Response(HttpClient client, URI url) {
      this.client = client;
      this.url = url;
    }

    @Override
    public CompletionStage<HttpResponse<InputStream>> enter() {
      return client
          .sendAsync(Http.request(url), BodyHandlers.ofInputStream())
          .thenApply(
              received -> {
                response = received;
                return received;
              });
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      try {
        response.body().close(); // drops whatever the block did not read
        return CompletableFuture.completedFuture(false);
      } catch (IOException closeFailure) {
        return CompletableFuture.failedFuture(closeFailure); // exit reports failures as its stage
      }
    }
  }
}
