package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Describes the machine and JDK a measurement ran on, for the head of every report. */
final class Machine {
  private Machine() {}

  /**
   * One line naming the JDK: version, VM, and the kind of thread the blocking style uses.
   *
   * @return the description
   */
  static String jdk() {
    return "JDK " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor")
        + "); blocking style on " + EngineThreads.kind() + " threads";
  }

  /**
   * The JDK's feature release number, such as 17 or 25.
   *
   * @return the feature release
   */
  static int feature() {
    return Runtime.version().feature();
  }

  /**
   * One line naming the machine: cores, CPU model, and the load average now.
   *
   * @return the description
   */
  static String host() {
    return Runtime.getRuntime().availableProcessors() + " cores available, CPU "
        + cpuModel() + "; " + load();
  }

  /**
   * The load averages from {@code /proc/loadavg}, or "load unknown" where there is none.
   *
   * @return for example {@code "load average 0.52 0.31 0.20"}
   */
  static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return "load average " + fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "load unknown";
    }
  }

  /**
   * The current time, to the second, for report headers.
   *
   * @return an ISO-8601 instant
   */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the model stays unnamed.
    }
    return System.getProperty("os.arch");
  }
}
