package dev.asyncwith.samples;

import java.io.PrintStream;
import java.util.List;

/**
 * One runnable sample: what {@link Main} lists and runs.
 *
 * <p>A sample writes everything it has to say to the {@code out} it is given (never to
 * {@code System.out}), so that tests can read what it printed. It throws when what it
 * demonstrates did not hold, which makes {@link Main} exit with a non-zero status.
 */
public interface Sample {

  /**
   * The name {@link Main} runs this sample by, in lower-case words joined by hyphens.
   *
   * @return the sample's name, such as {@code site-checker}
   */
  String name();

  /**
   * One line saying what the sample shows.
   *
   * @return a short description for {@link Main}'s usage text
   */
  String summary();

  /**
   * Runs the sample.
   *
   * @param out where the sample prints what it does
   * @param args the sample's command-line arguments; empty means the embedded defaults
   * @throws Exception when the sample failed, or what it demonstrates did not hold
   */
  void run(PrintStream out, List<String> args) throws Exception;
}
