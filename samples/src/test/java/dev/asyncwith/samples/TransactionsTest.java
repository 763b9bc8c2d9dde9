package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the transactions against a real H2 database in a file, and checks its rows. */
class TransactionsTest {

  @TempDir Path folder;

  private String jdbcUrl;

  /** Held open by the test, so that it can look at the database between transactions. */
  private Connection observer;

  @BeforeEach
  void openDatabase() throws SQLException {
    jdbcUrl = "jdbc:h2:file:" + folder.resolve("bank").toAbsolutePath() + ";USER=sa;PASSWORD=";
    observer = DriverManager.getConnection(jdbcUrl);
    try (Statement statement = observer.createStatement()) {
      statement.executeUpdate("CREATE TABLE notes (text VARCHAR(100) PRIMARY KEY)");
    }
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    observer.close(); // the last connection: H2 closes the database, and its files can be deleted
  }

  @Test
  void theSampleCommitsOneTransferAndRollsTheOtherBackInTheDatabase() throws Exception {
    Output output = new Output();

    new Transactions().run(output.stream(), List.of(jdbcUrl));

    assertEquals(
        List.of(
            "database: jdbc:h2:file:" + folder.resolve("bank").toAbsolutePath(),
            "accounts: alice=100, bob=50",
            "transfer 30 from alice to bob: committed",
            "transfer 500 from alice to bob: rolled back (alice has 70, cannot pay 500)",
            "accounts: alice=70, bob=80",
            "200 concurrent transactions through call: 180 committed, 20 rolled back"),
        output.lines());
    try (Statement query = observer.createStatement();
        ResultSet rows =
            query.executeQuery(
                "SELECT name, balance FROM " + Transactions.TABLE
                    + " WHERE name NOT LIKE 'customer-%' ORDER BY name")) {
      assertTrue(rows.next());
      assertEquals("alice", rows.getString(1));
      assertEquals(70, rows.getInt(2));
      assertTrue(rows.next());
      assertEquals("bob", rows.getString(1));
      assertEquals(80, rows.getInt(2));
      assertFalse(rows.next());
    }
    assertEquals(1, openSessions(), "every transaction's connection is closed");
  }

  @Test
  void aBlockThatCompletesNormallyIsCommitted() throws Exception {
    Transactions.inTransaction(jdbcUrl, connection -> insertNote(connection, "kept"))
        .get(10, TimeUnit.SECONDS);

    assertEquals(List.of("kept"), notes());
    assertEquals(1, openSessions());
  }

  @Test
  void aBlockThatFailsIsRolledBackAndTheCallerSeesItsFailure() throws Exception {
    IllegalStateException failure = new IllegalStateException("changed my mind");

    CompletableFuture<Void> transaction =
        Transactions.inTransaction(
            jdbcUrl,
            connection -> {
              insertNote(connection, "discarded");
              throw failure;
            });

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> transaction.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertEquals(List.of(), notes());
    assertEquals(1, openSessions(), "the connection is closed after a rollback too");
  }

  @Test
  void aBlockThatFailsAsynchronouslyLaterIsRolledBackToo() throws Exception {
    IllegalStateException failure = new IllegalStateException("failed later");

    CompletableFuture<Object> transaction =
        JdbcTransaction.of(jdbcUrl)
            .use(
                connection -> {
                  try {
                    insertNote(connection, "discarded");
                  } catch (SQLException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                  // The block's stage fails later, on another thread.
                  return CompletableFuture.supplyAsync(
                      () -> {
                        throw failure;
                      },
                      CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
                });

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> transaction.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertEquals(List.of(), notes());
    assertEquals(1, openSessions());
  }

  @Test
  void theBlockStartsOnTheTransactionsOwnThreadNamedAfterIt() throws Exception {
    AtomicReference<Thread> blockThread = new AtomicReference<>();

    Transactions.inTransaction(
            jdbcUrl,
            connection -> {
              blockThread.set(Thread.currentThread());
              return null;
            })
        .get(10, TimeUnit.SECONDS);

    assertNotSame(Thread.currentThread(), blockThread.get());
    assertTrue(
        blockThread.get().getName().toLowerCase(Locale.ROOT).contains("transaction"),
        "the generator thread is named after the method: " + blockThread.get().getName());
  }

  @Test
  void aDatabaseThatCannotBeReachedFailsTheStatementBeforeTheBlockRuns() {
    AtomicBoolean blockRan = new AtomicBoolean();
    String missing = "jdbc:h2:file:" + folder.resolve("missing").toAbsolutePath() + ";IFEXISTS=TRUE";

    CompletableFuture<Object> transaction =
        Transactions.inTransaction(
            missing,
            connection -> {
              blockRan.set(true);
              return null;
            });

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> transaction.get(10, TimeUnit.SECONDS));
    assertInstanceOf(SQLException.class, thrown.getCause());
    assertFalse(blockRan.get());
  }

  @Test
  void callRunsTheTransactionOnTheCallingThreadAndThrowsACheckedFailureAsItself()
      throws Exception {
    Thread caller = Thread.currentThread();
    AtomicReference<Thread> blockThread = new AtomicReference<>();
    assertEquals(
        "kept",
        Transactions.callInTransaction(
            jdbcUrl,
            connection -> {
              blockThread.set(Thread.currentThread());
              insertNote(connection, "kept");
              return "kept";
            }));
    assertSame(caller, blockThread.get(), "no thread of its own: the block runs here");

    Transactions.InsufficientFundsException failure =
        new Transactions.InsufficientFundsException("refused");
    Transactions.InsufficientFundsException thrown =
        assertThrows(
            Transactions.InsufficientFundsException.class,
            () ->
                Transactions.callInTransaction(
                    jdbcUrl,
                    connection -> {
                      insertNote(connection, "discarded");
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals(List.of("kept"), notes(), "the failed transaction was rolled back");
    assertEquals(1, openSessions(), "every connection is closed");
  }

  @Test
  void manyConcurrentTransactionsThroughCallEachCommitOrRollBackOnTheirOwnThread()
      throws Exception {
    try (Statement statement = observer.createStatement()) {
      statement.executeUpdate(
          "CREATE TABLE " + Transactions.TABLE
              + " (name VARCHAR(40) PRIMARY KEY, balance INTEGER NOT NULL)");
    }
    int committed = Transactions.openAccountsConcurrently(jdbcUrl, 500);

    assertEquals(450, committed);
    try (Statement query = observer.createStatement();
        ResultSet rows =
            query.executeQuery(
                "SELECT COUNT(*), SUM(balance) FROM " + Transactions.TABLE
                    + " WHERE name LIKE 'customer-%'")) {
      rows.next();
      assertEquals(450, rows.getInt(1), "only the committed accounts are in the table");
      assertEquals(4500, rows.getInt(2));
    }
    assertEquals(1, openSessions(), "every transaction's connection is closed");
  }

  private static Void insertNote(Connection connection, String text) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (text) VALUES (?)")) {
      insert.setString(1, text);
      insert.executeUpdate();
    }
    return null;
  }

  private List<String> notes() throws SQLException {
    try (Statement query = observer.createStatement();
        ResultSet rows = query.executeQuery("SELECT text FROM notes ORDER BY text")) {
      List<String> texts = new ArrayList<>();
      while (rows.next()) {
        texts.add(rows.getString(1));
      }
      return texts;
    }
  }

  /** Sessions open on the database; the observer's own is one. */
  private int openSessions() throws SQLException {
    try (Statement query = observer.createStatement();
        ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
