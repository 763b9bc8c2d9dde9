package dev.asyncwith.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small web site on the loopback interface, at a port the system picks, so that the site
 * checker runs anywhere without the Internet. It serves:
 *
 * <ul>
 *   <li>{@code /}: an HTML page;
 *   <li>{@code /api/status}: a JSON document;
 *   <li>{@code /slow}: a text page that takes {@link #SLOW_PAGE_DELAY} to answer;
 *   <li>{@code /broken}: nothing: the server drops the connection, so the request fails;
 *   <li>anything else: a 404.
 * </ul>
 */
public final class LocalSites implements AutoCloseable {

  /** How long {@code /slow} takes to answer. */
  static final Duration SLOW_PAGE_DELAY = Duration.ofSeconds(1);

  private final HttpServer server;
  private final ExecutorService handlers;

  private LocalSites(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  /**
   * Starts the site on a free loopback port.
   *
   * @return the running site; close it to stop it
   * @throws IOException if no server socket could be opened
   */
  public static LocalSites start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // A thread per request in flight, so that the slow page never holds up the others.
    AtomicInteger threads = new AtomicInteger();
    ExecutorService handlers =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "local-sites-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(handlers);
    server.createContext("/", LocalSites::handle);
    server.start();
    return new LocalSites(server, handlers);
  }

  /**
   * The site's address, such as {@code http://127.0.0.1:41234}.
   *
   * @return the base URI, without a trailing slash
   */
  public URI base() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /**
   * The pages the site checker checks by default, the slow one first: checked one after another,
   * it would be reported first; checked concurrently, it is reported last.
   *
   * @return the URIs of {@code /slow}, {@code /}, {@code /api/status}, {@code /missing} and
   *     {@code /broken}
   */
  public List<URI> pages() {
    return List.of(page("/slow"), page("/"), page("/api/status"), page("/missing"), page("/broken"));
  }

  /**
   * The URI of {@code path} on this site.
   *
   * @param path an absolute path, such as {@code /slow}
   * @return the page's URI
   */
  public URI page(String path) {
    return base().resolve(path);
  }

  /** Stops the server at once and ends its threads. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      switch (exchange.getRequestURI().getPath()) {
        case "/":
          respond(exchange, 200, "text/html",
              "<!doctype html>\n<html><title>asyncwith</title><p>async with, for Java.</p></html>\n");
          break;
        case "/api/status":
          respond(exchange, 200, "application/json", "{\"status\": \"ok\", \"uptime\": 42}\n");
          break;
        case "/slow":
          pause(SLOW_PAGE_DELAY);
          respond(exchange, 200, "text/plain", "slow and steady, but it got here\n");
          break;
        case "/broken":
          // Closing the exchange before any response drops the connection: the client's request
          // fails with an IOException instead of receiving a status.
          break;
        default:
          respond(exchange, 404, "text/plain", "not found: " + exchange.getRequestURI().getPath() + "\n");
          break;
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream responseBody = exchange.getResponseBody()) {
      responseBody.write(bytes);
    }
  }

  private static void pause(Duration delay) throws IOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
      throw new IOException("interrupted while answering slowly", e);
    }
  }
}
