package dev.asyncwith.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A {@link PrintStream} to hand a sample, and the lines it printed. */
final class Output {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** The stream to give the sample as its {@code out}. */
  PrintStream stream() {
    return stream;
  }

  /** Everything printed so far, line by line. */
  List<String> lines() {
    stream.flush();
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** Everything printed so far. */
  String text() {
    stream.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
