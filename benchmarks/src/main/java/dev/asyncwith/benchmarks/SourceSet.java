package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a synthetic project for the processor-cost measurement: {@code classes} classes holding
 * {@code methods} {@code @AsyncContextManager} methods between them, in four shapes taken in turn
 * (static non-blocking, static blocking, generic non-blocking, instance blocking), each with
 * javadoc and a realistic body, plus the small pool types they use. Nothing refers to the
 * generated classes, so the set also compiles without the processor.
 */
final class SourceSet {
  /** The package of the synthetic project. */
  static final String PACKAGE = "bench.sourceset";

  private SourceSet() {}

  /**
   * Writes the project under {@code root}.
   *
   * @param root the source root to create
   * @param methods how many annotated methods in all
   * @param classes how many classes to spread them over
   * @return every source file written
   * @throws IOException if a file cannot be written
   */
  static List<Path> write(Path root, int methods, int classes) throws IOException {
    Path dir = root.resolve(PACKAGE.replace('.', '/'));
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    files.add(write(dir, "Pool", POOL));
    files.add(write(dir, "Connection", CONNECTION));
    files.add(write(dir, "Session", SESSION));
    for (int c = 0; c < classes; c++) {
      int first = methods * c / classes;
      int end = methods * (c + 1) / classes;
      String name = String.format(Locale.ROOT, "Resources%02d", c);
      files.add(write(dir, name, resourceClass(name, first, end)));
    }
    return files;
  }

  private static Path write(Path dir, String simpleName, String source) throws IOException {
    return Files.writeString(dir.resolve(simpleName + ".java"), source);
  }

  private static String resourceClass(String name, int first, int end) {
    StringBuilder out = new StringBuilder();
    out.append("package ").append(PACKAGE).append(";\n\n")
        .append("import dev.asyncwith.AsyncYield;\n")
        .append("import dev.asyncwith.Yield;\n")
        .append("import dev.asyncwith.annotations.AsyncContextManager;\n")
        .append("import java.util.concurrent.CompletionStage;\n\n")
        .append("/** Resources of one part of the application. */\n")
        .append("public class ").append(name).append(" {\n")
        .append("  private final Pool pool;\n\n")
        .append("  /**\n   * Creates the resources over {@code pool}.\n   *\n")
        .append("   * @param pool the pool\n   */\n")
        .append("  public ").append(name).append("(Pool pool) {\n")
        .append("    this.pool = pool;\n  }\n");
    for (int m = first; m < end; m++) {
      out.append('\n').append(method(m));
    }
    return out.append("}\n").toString();
  }

  private static String method(int m) {
    switch (m % 4) {
      case 0:
        return String.format(Locale.ROOT, """
              /**
               * Leases a connection to {@code table} from {@code pool}.
               *
               * @param pool the pool
               * @param table the table
               * @param yield where the block runs
               * @return completes once the connection is back in the pool
               */
              @AsyncContextManager
              public static CompletionStage<Void> lease%1$d(
                  Pool pool, String table, AsyncYield<Connection> yield) {
                return pool.acquire(table)
                    .thenCompose(connection -> yield.yield(connection)
                        .whenComplete((ignored, failure) -> pool.release(connection)));
              }
            """, m);
      case 1:
        return String.format(Locale.ROOT, """
              /**
               * Runs the block in a transaction, committed if it completes normally.
               *
               * @param pool the pool
               * @param timeoutMillis how long to wait for a connection
               * @param yield where the block runs
               * @throws Exception the block's failure, after the rollback
               */
              @AsyncContextManager
              public static void transaction%1$d(Pool pool, long timeoutMillis, Yield<Connection> yield)
                  throws Exception {
                Connection connection = pool.acquireNow(timeoutMillis);
                try {
                  connection.begin();
                  yield.yield(connection);
                  connection.commit();
                } catch (Exception e) {
                  connection.rollback();
                  throw e;
                } finally {
                  pool.release(connection);
                }
              }
            """, m);
      case 2:
        return String.format(Locale.ROOT, """
              /**
               * Opens a session keyed by {@code key}.
               *
               * @param pool the pool
               * @param key the session's key
               * @param yield where the block runs
               * @param <K> the key's type
               * @return completes once the session is closed
               */
              @AsyncContextManager
              public static <K extends Comparable<K>> CompletionStage<Void> session%1$d(
                  Pool pool, K key, AsyncYield<Session<K>> yield) {
                return pool.acquire(String.valueOf(key))
                    .thenCompose(connection -> {
                      Session<K> session = new Session<>(connection, key);
                      return yield.yield(session)
                          .whenComplete((ignored, failure) -> {
                            session.close();
                            pool.release(connection);
                          });
                    });
              }
            """, m);
      default:
        return String.format(Locale.ROOT, """
              /**
               * Holds a connection from this object's pool, with {@code retries} attempts.
               *
               * @param retries how many times to try acquiring
               * @param label a label for the connection
               * @param yield where the block runs
               * @throws Exception the block's failure
               */
              @AsyncContextManager
              void hold%1$d(int retries, String label, Yield<Connection> yield) throws Exception {
                Connection connection = null;
                for (int attempt = 0; connection == null && attempt < retries; attempt++) {
                  connection = pool.tryAcquire(label);
                }
                if (connection == null) {
                  throw new IllegalStateException("no connection for " + label);
                }
                try {
                  yield.yield(connection);
                } finally {
                  pool.release(connection);
                }
              }
            """, m);
    }
  }

  private static final String POOL = """
      package bench.sourceset;

      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.CompletionStage;

      /** A connection pool. */
      public final class Pool {
        private int open;

        /** Creates an empty pool. */
        public Pool() {}

        /**
         * Acquires a connection.
         *
         * @param name what it is for
         * @return the connection, when acquired
         */
        public CompletionStage<Connection> acquire(String name) {
          open++;
          return CompletableFuture.completedFuture(new Connection(name));
        }

        /**
         * Acquires a connection, blocking.
         *
         * @param timeoutMillis how long to wait
         * @return the connection
         */
        public Connection acquireNow(long timeoutMillis) {
          open++;
          return new Connection("blocking " + timeoutMillis);
        }

        /**
         * Tries once to acquire a connection.
         *
         * @param name what it is for
         * @return the connection, or null
         */
        public Connection tryAcquire(String name) {
          open++;
          return new Connection(name);
        }

        /**
         * Releases a connection.
         *
         * @param connection the connection
         */
        public void release(Connection connection) {
          open--;
        }

        /**
         * Counts the connections not yet released.
         *
         * @return the count
         */
        public int open() {
          return open;
        }
      }
      """;

  private static final String CONNECTION = """
      package bench.sourceset;

      /** A connection. */
      public final class Connection {
        private final String name;

        Connection(String name) {
          this.name = name;
        }

        /** Begins a transaction. */
        public void begin() {}

        /** Commits the transaction. */
        public void commit() {}

        /** Rolls the transaction back. */
        public void rollback() {}

        @Override
        public String toString() {
          return name;
        }
      }
      """;

  private static final String SESSION = """
      package bench.sourceset;

      /**
       * A session over a connection.
       *
       * @param <K> the key's type
       */
      public final class Session<K> {
        private final Connection connection;
        private final K key;

        Session(Connection connection, K key) {
          this.connection = connection;
          this.key = key;
        }

        /** Closes the session. */
        public void close() {}

        @Override
        public String toString() {
          return key + "@" + connection;
        }
      }
      """;
}
