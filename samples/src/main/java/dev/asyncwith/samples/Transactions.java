package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Database transactions through {@code JdbcTransaction}, the blocking-style manager generated
 * from {@link Jdbc#transaction}: a transfer between two accounts that commits, and one that
 * fails part-way (after debiting) and is rolled back whole; then many transactions at once through
 * the synchronous {@code call}, each on a thread of its own that may block.
 *
 * <p>By default it uses an in-memory H2 database. Give a JDBC URL to use another database, with
 * its driver on the class path, for instance
 * {@code Main transactions "jdbc:postgresql://localhost/shop?user=me&password=secret"}. It creates
 * (if absent) and refills a table named {@value #TABLE}.
 */
public final class Transactions implements Sample {

  /** The embedded default: an H2 database in memory that lives as long as the JVM. */
  static final String DEFAULT_URL = "jdbc:h2:mem:asyncwith_samples;DB_CLOSE_DELAY=-1";

  /** The table the sample creates and refills. */
  static final String TABLE = "asyncwith_sample_accounts";

  /** Creates the sample. */
  public Transactions() {}

  @Override
  public String name() {
    return "transactions";
  }

  @Override
  public String summary() {
    return "JDBC transactions that commit on success and roll back on failure, through use and"
        + " through call from many threads (H2 by default)";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    if (args.size() > 1) {
      throw new IllegalArgumentException("transactions takes at most one argument, a JDBC URL");
    }
    String jdbcUrl = args.isEmpty() ? DEFAULT_URL : args.get(0);
    out.println("database: " + withoutParameters(jdbcUrl));

    await(inTransaction(jdbcUrl, Transactions::openAccounts));
    out.println("accounts: " + format(await(inTransaction(jdbcUrl, Transactions::balances))));

    await(inTransaction(jdbcUrl, connection -> transfer(connection, "alice", "bob", 30)));
    out.println("transfer 30 from alice to bob: committed");

    try {
      await(inTransaction(jdbcUrl, connection -> transfer(connection, "alice", "bob", 500)));
      check(false, "a transfer beyond the balance fails");
    } catch (InsufficientFundsException refused) {
      out.println("transfer 500 from alice to bob: rolled back (" + refused.getMessage() + ")");
    }

    Map<String, Integer> balances = await(inTransaction(jdbcUrl, Transactions::balances));
    out.println("accounts: " + format(balances));
    check(
        balances.equals(Map.of("alice", 70, "bob", 80)),
        "the first transfer is committed and the second rolled back whole");

    // The same manager through call, from threads that may block: no thread is started per
    // transaction, the transaction runs on the calling thread.
    int committed = openAccountsConcurrently(jdbcUrl, CONCURRENT_ACCOUNTS);
    int opened = callInTransaction(jdbcUrl, connection -> countNewAccounts(connection));
    out.println(
        CONCURRENT_ACCOUNTS + " concurrent transactions through call: " + committed
            + " committed, " + (CONCURRENT_ACCOUNTS - committed) + " rolled back");
    check(opened == committed, "exactly the committed accounts are in the database");
  }

  /** How many transactions {@link #openAccountsConcurrently} runs at once. */
  static final int CONCURRENT_ACCOUNTS = 200;

  /** Every how many accounts one is refused, after its row was written: rolled back. */
  static final int REFUSE_EVERY = 10;

  /**
   * Runs blocking JDBC {@code work} as the block of a transaction on the calling thread: commits
   * if it returns, rolls back if it throws, and throws that very exception (a checked one
   * included) after the rollback. The Java spelling of Python's {@code with transaction(url) as
   * connection:}. Through {@code call} the generated manager runs its method right here: opening
   * the connection, the work and the commit or rollback all happen on this thread, with no thread
   * started and nothing handed off. Call it from a thread that may block, such as a virtual
   * thread.
   *
   * @param jdbcUrl the database
   * @param work what to do in the transaction, on the calling thread
   * @param <R> the type of the work's result
   * @return the work's result, once committed and once the connection is closed
   * @throws Exception the work's failure, after the rollback; or the failure to connect or commit
   */
  public static <R> R callInTransaction(String jdbcUrl, SqlWork<R> work) throws Exception {
    return JdbcTransaction.of(jdbcUrl).call(work::apply);
  }

  /**
   * Opens {@code count} accounts, one transaction each, all at once: each on a virtual thread of
   * its own on JDK 21 and later, on a platform thread on JDK 17 to 20. Every {@value
   * #REFUSE_EVERY}th transaction writes its row and then fails, and is rolled back.
   *
   * @return how many transactions committed
   */
  static int openAccountsConcurrently(String jdbcUrl, int count) throws Exception {
    List<Callable<Boolean>> transactions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String account = String.format(Locale.ROOT, "customer-%03d", i);
      boolean refused = i % REFUSE_EVERY == 0;
      transactions.add(
          () -> {
            try {
              return callInTransaction(
                  jdbcUrl,
                  connection -> {
                    insertAccount(connection, account, 10);
                    if (refused) {
                      throw new InsufficientFundsException(account + " was refused");
                    }
                    return true;
                  });
            } catch (InsufficientFundsException rolledBack) {
              return false; // thrown as itself, after the rollback
            }
          });
    }
    ExecutorService threads = ThreadPerTask.executor("transaction-");
    try {
      int committed = 0;
      for (Future<Boolean> transaction : threads.invokeAll(transactions)) {
        if (transaction.get()) {
          committed++;
        }
      }
      return committed;
    } finally {
      threads.shutdown();
    }
  }

  private static void insertAccount(Connection connection, String name, int balance)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + TABLE + " (name, balance) VALUES (?, ?)")) {
      insert.setString(1, name);
      insert.setInt(2, balance);
      insert.executeUpdate();
    }
  }

  private static int countNewAccounts(Connection connection) throws SQLException {
    try (Statement query = connection.createStatement();
        ResultSet rows =
            query.executeQuery(
                "SELECT COUNT(*) FROM " + TABLE + " WHERE name LIKE 'customer-%'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /**
   * Runs blocking JDBC {@code work} as the block of a transaction: commits if it returns, rolls
   * back if it throws. The Java spelling of {@code async with transaction(url) as connection:}.
   *
   * @param jdbcUrl the database
   * @param work what to do in the transaction; it runs on the transaction's own thread
   * @param <R> the type of the work's result
   * @return a future of the work's result, completed after the commit (or failed after the
   *     rollback) and after the connection is closed
   */
  public static <R> CompletableFuture<R> inTransaction(String jdbcUrl, SqlWork<R> work) {
    return JdbcTransaction.of(jdbcUrl)
        .use(
            connection -> {
              // The block starts on the thread that yielded the connection, so these blocking
              // calls hold that thread, not the caller's.
              try {
                return CompletableFuture.completedFuture(work.apply(connection));
              } catch (Exception failure) {
                return CompletableFuture.failedFuture(failure);
              }
            });
  }

  /**
   * Blocking work on a connection, which may throw checked exceptions.
   *
   * @param <R> the type of its result
   */
  @FunctionalInterface
  public interface SqlWork<R> {
    /**
     * Does the work.
     *
     * @param connection the transaction's connection
     * @return the work's result
     * @throws Exception whatever failed; the transaction then rolls back
     */
    R apply(Connection connection) throws Exception;
  }

  /** Refused: the payer's balance would go below zero. */
  public static final class InsufficientFundsException extends Exception {
    private static final long serialVersionUID = 1L;

    InsufficientFundsException(String message) {
      super(message);
    }
  }

  private static Void openAccounts(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "CREATE TABLE IF NOT EXISTS " + TABLE
              + " (name VARCHAR(40) PRIMARY KEY, balance INTEGER NOT NULL)");
      statement.executeUpdate("DELETE FROM " + TABLE);
      statement.executeUpdate("INSERT INTO " + TABLE + " (name, balance) VALUES ('alice', 100), ('bob', 50)");
    }
    return null;
  }

  /**
   * Moves {@code amount} from one account to another: debits, credits, then checks the payer's
   * balance, so that a refused transfer has already changed rows the rollback must undo.
   */
  static Void transfer(Connection connection, String from, String to, int amount)
      throws SQLException, InsufficientFundsException {
    addToBalance(connection, from, -amount);
    addToBalance(connection, to, amount);
    int left = balances(connection).get(from);
    if (left < 0) {
      throw new InsufficientFundsException(from + " has " + (left + amount) + ", cannot pay " + amount);
    }
    return null;
  }

  private static void addToBalance(Connection connection, String account, int amount) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE " + TABLE + " SET balance = balance + ? WHERE name = ?")) {
      update.setInt(1, amount);
      update.setString(2, account);
      check(update.executeUpdate() == 1, "account " + account + " exists");
    }
  }

  /** Every account's balance, by name. */
  static Map<String, Integer> balances(Connection connection) throws SQLException {
    Map<String, Integer> balances = new LinkedHashMap<>();
    try (Statement query = connection.createStatement();
        ResultSet rows = query.executeQuery("SELECT name, balance FROM " + TABLE + " ORDER BY name")) {
      while (rows.next()) {
        balances.put(rows.getString(1), rows.getInt(2));
      }
    }
    return balances;
  }

  private static String format(Map<String, Integer> balances) {
    StringBuilder text = new StringBuilder();
    balances.forEach((name, balance) -> text.append(text.length() == 0 ? "" : ", ").append(name).append('=').append(balance));
    return text.toString();
  }

  /** The URL without its parameters, which may hold a password. */
  private static String withoutParameters(String jdbcUrl) {
    int end = jdbcUrl.length();
    for (char separator : new char[] {'?', ';'}) {
      int at = jdbcUrl.indexOf(separator);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return jdbcUrl.substring(0, end);
  }
}
