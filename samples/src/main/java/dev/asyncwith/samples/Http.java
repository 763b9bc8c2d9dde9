package dev.asyncwith.samples;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP session and a response as generator-style managers over the JDK's {@link HttpClient},
 * the counterparts of {@code aiohttp.ClientSession()} and {@code session.get(url)}; plus the
 * small HTTP helpers the site checker's three versions share. {@link #session} is, in Python:
 *
 * <pre>{@code
 * @asynccontextmanager
 * async def session():
 *     client = open_client()
 *     try:
 *         yield client
 *     finally:
 *         await client.close()
 * }</pre>
 */
public final class Http {

  /** How long connecting, or waiting for a response's headers, may take. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private Http() {}

  /**
   * Opens an HTTP session: a client with a thread pool of its own, which is shut down once the
   * block has finished. Generated into {@code HttpSession}.
   *
   * @param log where the session says when it opens and closes
   * @param yield hands the client to the block
   * @return a stage that completes once the session is closed
   */
  @AsyncContextManager
  public static CompletionStage<Void> session(PrintStream log, AsyncYield<HttpClient> yield) {
    ExecutorService executor = newExecutor();
    HttpClient client = newClient(executor);
    log.println("session opened");
    return yield.yield(client)
        .whenComplete(
            (ignored, failure) -> {
              executor.shutdown();
              log.println("session closed");
            });
  }

  /**
   * Sends a GET request for {@code url} and hands the response to the block as soon as its
   * headers have arrived; the body is still streaming, and is closed (dropping whatever the
   * block did not read) once the block has finished. Generated into {@code HttpGet}: Python's
   * {@code async with session.get(url) as response:}.
   *
   * @param client the session's client
   * @param url the page to get
   * @param yield hands the response to the block
   * @return a stage that completes once the response body is closed; it fails, and the block
   *     never runs, if the request fails
   */
  @AsyncContextManager
  public static CompletionStage<Void> get(
      HttpClient client, URI url, AsyncYield<HttpResponse<InputStream>> yield) {
    return client
        .sendAsync(request(url), BodyHandlers.ofInputStream())
        .thenCompose(
            response -> yield.yield(response).whenComplete((ignored, failure) -> close(response.body())));
  }

  /** A pool for one session's client, of daemon threads, created as requests need them. */
  static ExecutorService newExecutor() {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "http-session-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * A client that runs its work on {@code executor}. (On JDK 21+ {@code HttpClient} is
   * {@code AutoCloseable} too; the samples compile for Java 17, so a session closes by shutting
   * its executor down.)
   */
  static HttpClient newClient(ExecutorService executor) {
    return HttpClient.newBuilder()
        .executor(executor)
        .connectTimeout(REQUEST_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** A GET request for {@code url}, bounded by {@link #REQUEST_TIMEOUT}. */
  static HttpRequest request(URI url) {
    return HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
  }

  /**
   * Reads the first {@code count} characters of a body (fewer if it is shorter), as UTF-8, with
   * line breaks shown as spaces. It blocks while the body streams in: call it on a thread that
   * may block, never on one that delivers the body.
   */
  static String firstChars(InputStream body, int count) {
    char[] chars = new char[count];
    int length = 0;
    try {
      // Not closed here: closing the body is the response's exit's job.
      Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
      for (int read; length < count && (read = reader.read(chars, length, count - length)) >= 0; ) {
        length += read;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String(chars, 0, length).replace('\r', ' ').replace('\n', ' ');
  }

  /** Closes a response body, as Python's response {@code __aexit__} releases the connection. */
  static void close(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
