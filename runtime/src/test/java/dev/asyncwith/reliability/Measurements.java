package dev.asyncwith.reliability;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Heap, thread and timing measurements for the stress suites, and their printed figures. */
final class Measurements {
  private Measurements() {}

  /** Heap in use after a few full collections, in bytes. */
  static long heapUsedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(40);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Live platform threads in this JVM, not counting the JDK's own virtual-thread machinery (JDK
   * 21+: the scheduler's carrier threads, its delay scheduler, the unparker or unblocker), which
   * the JDK starts on demand for whoever runs virtual threads and keeps or retires on its own.
   */
  static int platformThreads() {
    int count = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && !virtualThreadMachinery(thread)) {
        count++;
      }
    }
    return count;
  }

  private static boolean virtualThreadMachinery(Thread thread) {
    String type = thread.getClass().getName();
    return type.equals("jdk.internal.misc.CarrierThread")
        || type.equals("java.util.concurrent.DelayScheduler")
        || (type.equals("jdk.internal.misc.InnocuousThread")
            && thread.getName().startsWith("VirtualThread-"));
  }

  /**
   * Waits up to {@code millis} for the platform thread count to fall to {@code baseline} or below;
   * returns the last count seen.
   */
  static int platformThreadsSettleTo(int baseline, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    int count = platformThreads();
    while (count > baseline && System.nanoTime() < deadline) {
      Thread.sleep(20);
      count = platformThreads();
    }
    return count;
  }

  /** Waits up to {@code millis} for {@code condition}; returns whether it held. */
  static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Prints one figure for RELIABILITY.md, with the JDK it was measured on. */
  static void figure(String suite, String text) {
    System.out.println("[reliability-figure] java " + Runtime.version().feature() + " " + suite
        + ": " + text);
  }

  /** Bytes as MiB with one decimal. */
  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
