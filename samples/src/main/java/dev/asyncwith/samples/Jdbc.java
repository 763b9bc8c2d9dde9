package dev.asyncwith.samples;

import dev.asyncwith.Yield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database transaction as an asynchronous manager, written in the blocking style because JDBC
 * blocks. Through {@code use} the method runs on a thread of its own (a virtual thread on JDK 21+),
 * so the caller's threads never wait for the database; through {@code call}, from a thread that
 * may block, it runs on the calling thread, with no thread started ({@link
 * Transactions#callInTransaction}). {@link #transaction} is, in Python:
 *
 * <pre>{@code
 * @asynccontextmanager
 * async def transaction(url):
 *     async with connect(url) as connection:
 *         try:
 *             yield connection
 *             await connection.commit()
 *         except BaseException:
 *             await connection.rollback()
 *             raise
 * }</pre>
 */
public final class Jdbc {

  private Jdbc() {}

  /**
   * Opens a connection to {@code jdbcUrl}, begins a transaction, hands the connection to the
   * block, then commits if the block completed normally or rolls back if it failed; the
   * connection is closed either way. Generated into {@code JdbcTransaction}.
   *
   * <p>The block starts on this method's thread, the one that opened the connection, and can
   * use the connection there with plain blocking JDBC calls.
   *
   * @param jdbcUrl the database, as a JDBC URL with any credentials it needs
   * @param yield hands the connection, in a transaction, to the block
   * @throws Exception the failure to connect (the block then never runs), the block's failure
   *     after the rollback (a failure of the rollback itself is attached to it as suppressed),
   *     or the failure to commit
   */
  @AsyncContextManager
  public static void transaction(String jdbcUrl, Yield<Connection> yield) throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      connection.setAutoCommit(false);
      try {
        yield.yield(connection);
        connection.commit();
      } catch (Throwable failure) {
        rollback(connection, failure);
        throw failure;
      }
    }
  }

  /** Rolls back, never letting a failure to do so hide the failure that caused the rollback. */
  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }
}
