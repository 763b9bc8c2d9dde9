package dev.asyncwith.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs the samples: {@code Main all} runs every one of them against its embedded defaults,
 * {@code Main <sample> [arguments...]} runs one (with its own arguments, such as URLs for
 * {@code site-checker} or a JDBC URL for {@code transactions}), {@code Main help} lists them. The
 * exit status is 0 when every sample that ran succeeded, 1 when one failed, and 2 for a usage
 * error.
 */
public final class Main {

  /** Exit status when every sample that ran succeeded. */
  static final int SUCCESS = 0;

  /** Exit status when at least one sample failed. */
  static final int SAMPLE_FAILED = 1;

  /** Exit status for a command line that names no known sample. */
  static final int USAGE = 2;

  /** Every sample, in the order {@code all} runs them. */
  static final List<Sample> SAMPLES =
      List.of(
          new SiteChecker(),
          new EnterExit(),
          new FileReading(),
          new AsyncLock(),
          new Transactions(),
          new SeveralResources(),
          new Timeout());

  private Main() {}

  /**
   * Runs the samples the command line names and exits with the status described on
   * {@link Main}.
   *
   * @param args {@code all}, {@code help}, or a sample's name followed by its arguments
   */
  public static void main(String[] args) {
    // System.exit, not a return: the status must reach the shell (and Maven's exec plugin).
    System.exit(run(SAMPLES, Arrays.asList(args), System.out));
  }

  /**
   * Runs the samples the command line names, printing to {@code out}.
   *
   * @param samples the samples to choose from
   * @param args {@code all}, {@code help}, or a sample's name followed by its arguments
   * @param out where the samples and this runner print
   * @return the exit status: {@link #SUCCESS}, {@link #SAMPLE_FAILED} or {@link #USAGE}
   */
  static int run(List<Sample> samples, List<String> args, PrintStream out) {
    if (args.isEmpty()) {
      printUsage(samples, out);
      return USAGE;
    }
    String requested = args.get(0);
    List<String> sampleArgs = args.subList(1, args.size());
    if (requested.equals("help")) {
      printUsage(samples, out);
      return SUCCESS;
    }
    if (requested.equals("all")) {
      if (!sampleArgs.isEmpty()) {
        out.println("'all' runs every sample with its defaults and takes no arguments.");
        printUsage(samples, out);
        return USAGE;
      }
      return runAll(samples, out);
    }
    Optional<Sample> sample =
        samples.stream().filter(candidate -> candidate.name().equals(requested)).findFirst();
    if (sample.isEmpty()) {
      out.println("No sample is named '" + requested + "'.");
      printUsage(samples, out);
      return USAGE;
    }
    return runOne(sample.get(), sampleArgs, out) ? SUCCESS : SAMPLE_FAILED;
  }

  private static int runAll(List<Sample> samples, PrintStream out) {
    List<String> failed = new ArrayList<>();
    for (Sample sample : samples) {
      if (!runOne(sample, List.of(), out)) {
        failed.add(sample.name());
      }
      out.println();
    }
    if (failed.isEmpty()) {
      out.println("All " + samples.size() + " samples ran successfully.");
      return SUCCESS;
    }
    out.println(failed.size() + " of " + samples.size() + " samples failed: " + String.join(", ", failed));
    return SAMPLE_FAILED;
  }

  /** Runs one sample between a header and a verdict; true if it succeeded. */
  private static boolean runOne(Sample sample, List<String> args, PrintStream out) {
    out.println("=== " + sample.name() + ": " + sample.summary());
    long start = System.nanoTime();
    try {
      sample.run(out, args);
      out.printf("=== %s: done in %d ms%n", sample.name(), (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (Exception | Error failure) {
      out.println("=== " + sample.name() + ": FAILED");
      failure.printStackTrace(out);
      return false;
    }
  }

  private static void printUsage(List<Sample> samples, PrintStream out) {
    out.println("Usage: Main all | Main help | Main <sample> [arguments...]");
    out.println("Samples:");
    for (Sample sample : samples) {
      out.printf("  %-18s %s%n", sample.name(), sample.summary());
    }
  }
}
