package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void allRunsEverySampleAgainstItsEmbeddedDefaultsAndSucceeds() {
    Output output = new Output();

    int status = Main.run(Main.SAMPLES, List.of("all"), output.stream());

    assertEquals(Main.SUCCESS, status, output.text());
    List<String> lines = output.lines();
    for (Sample sample : Main.SAMPLES) {
      assertTrue(lines.contains("=== " + sample.name() + ": " + sample.summary()), sample.name());
      assertTrue(
          lines.stream().anyMatch(line -> line.matches("=== " + sample.name() + ": done in \\d+ ms")),
          sample.name());
    }
    assertEquals("All 7 samples ran successfully.", lines.get(lines.size() - 1));
  }

  @Test
  void runsOneSampleByNameWithItsArguments() {
    Output output = new Output();
    Recording recording = new Recording("recording", null);

    int status = Main.run(List.of(recording), List.of("recording", "x", "y"), output.stream());

    assertEquals(Main.SUCCESS, status);
    assertEquals(List.of(List.of("x", "y")), recording.calls);
  }

  @Test
  void aFailingSampleMakesTheRunFailButTheOthersStillRun() {
    Output output = new Output();
    Recording broken = new Recording("broken", new IllegalStateException("it broke"));
    Recording fine = new Recording("fine", null);

    int status = Main.run(List.of(broken, fine), List.of("all"), output.stream());

    assertEquals(Main.SAMPLE_FAILED, status);
    assertEquals(1, fine.calls.size(), "the sample after the failing one still runs");
    List<String> lines = output.lines();
    assertTrue(lines.contains("=== broken: FAILED"), output.text());
    assertTrue(output.text().contains("java.lang.IllegalStateException: it broke"), output.text());
    assertEquals("1 of 2 samples failed: broken", lines.get(lines.size() - 1));
  }

  @Test
  void anUnknownNameOrNoArgumentIsAUsageError() {
    Output unknown = new Output();
    Output none = new Output();
    Output allWithArguments = new Output();

    assertEquals(Main.USAGE, Main.run(Main.SAMPLES, List.of("no-such-sample"), unknown.stream()));
    assertEquals(Main.USAGE, Main.run(Main.SAMPLES, List.of(), none.stream()));
    assertEquals(Main.USAGE, Main.run(Main.SAMPLES, List.of("all", "extra"), allWithArguments.stream()));

    assertEquals("No sample is named 'no-such-sample'.", unknown.lines().get(0));
    for (Sample sample : Main.SAMPLES) {
      assertTrue(none.text().contains(sample.name()), "usage lists " + sample.name());
    }
  }

  @Test
  void helpListsTheSamplesAndSucceeds() {
    Output output = new Output();

    assertEquals(Main.SUCCESS, Main.run(Main.SAMPLES, List.of("help"), output.stream()));

    for (Sample sample : Main.SAMPLES) {
      assertTrue(output.text().contains(sample.name() + " "), "help lists " + sample.name());
    }
  }

  @Test
  void everySampleHasADistinctName() {
    assertEquals(
        Main.SAMPLES.size(),
        Main.SAMPLES.stream().map(Sample::name).distinct().count());
  }

  /** A sample that records its arguments and fails if given a failure. */
  private static final class Recording implements Sample {
    private final String name;
    private final RuntimeException failure;
    final List<List<String>> calls = new ArrayList<>();

    Recording(String name, RuntimeException failure) {
      this.name = name;
      this.failure = failure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String summary() {
      return "records its runs";
    }

    @Override
    public void run(PrintStream out, List<String> args) {
      calls.add(List.copyOf(args));
      if (failure != null) {
        throw failure;
      }
    }
  }
}
