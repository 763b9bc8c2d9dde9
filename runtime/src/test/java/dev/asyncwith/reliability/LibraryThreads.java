package dev.asyncwith.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that threads the library started have ended. Virtual threads are invisible to {@link
 * Thread#getAllStackTraces()}, so generator threads are also tracked one by one, as the scripted
 * generators record them.
 */
final class LibraryThreads {
  private LibraryThreads() {}

  /** Problems for each of {@code threads} still alive after waiting up to {@code millis} in all. */
  static List<String> endedWithin(List<Thread> threads, long millis) {
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + millis * 1_000_000L;
    for (Thread thread : threads) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      try {
        thread.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems.add("interrupted while waiting for " + thread.getName());
        return problems;
      }
      if (thread.isAlive()) {
        problems.add("generator thread " + thread.getName() + " is still alive after "
            + millis + " ms");
      }
    }
    return problems;
  }

  /**
   * Names of live platform threads whose name mentions asyncwith or one of the scripted
   * generator methods, after waiting up to {@code millis} for them to end.
   */
  static Set<String> lingering(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      Set<String> names =
          Thread.getAllStackTraces().keySet().stream()
              .filter(Thread::isAlive)
              .map(Thread::getName)
              .filter(LibraryThreads::looksLikeLibraryThread)
              .collect(Collectors.toSet());
      if (names.isEmpty() || System.nanoTime() > deadline) {
        return names;
      }
      Thread.sleep(10);
    }
  }

  private static boolean looksLikeLibraryThread(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("asyncwith")
        || lower.contains(ReferenceModel.BLOCKING_METHOD.toLowerCase(Locale.ROOT));
  }
}
