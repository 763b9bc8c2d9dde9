package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenarios.ResourceKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random {@code async with} scenarios, run against the library and checked against the
 * {@link ReferenceModel} by {@link ScenarioCheck}: each of enter, block and exit ends as a value,
 * a synchronous throw, a failed stage, {@code null}, later on another thread, or cancelled; over
 * hand-written resources and both generator engines; alone and composed at random depth.
 *
 * <p>The number of tries per property is jqwik's default, set for this module in {@code
 * junit-platform.properties}; raise it with {@code -Djqwik.tries.default=N}.
 */
class StatementPropertiesTest {

  @Property
  void handWrittenResourceFollowsTheRules(@ForAll("handWritten") Block scenario) {
    assertBehavesAsSpecified(scenario);
  }

  @Property
  void nonBlockingGeneratorFollowsTheRules(@ForAll("nonBlocking") Block scenario) {
    assertBehavesAsSpecified(scenario);
  }

  @Property
  void blockingGeneratorFollowsTheRules(@ForAll("blocking") Block scenario) {
    assertBehavesAsSpecified(scenario);
  }

  @Property
  void exitStacksFollowTheRules(@ForAll("exitStacks") Block scenario) {
    assertBehavesAsSpecified(scenario);
  }

  @Property
  void compositionsOfRandomDepthFollowTheRules(@ForAll("compositions") Block scenario) {
    assertBehavesAsSpecified(scenario);
  }

  @Provide
  Arbitrary<Block> handWritten() {
    return Scenarios.single(ResourceKind.HAND);
  }

  @Provide
  Arbitrary<Block> nonBlocking() {
    return Scenarios.single(ResourceKind.ASYNC_GENERATOR);
  }

  @Provide
  Arbitrary<Block> blocking() {
    return Scenarios.single(ResourceKind.BLOCKING_GENERATOR);
  }

  @Provide
  Arbitrary<Block> exitStacks() {
    return Scenarios.exitStacks(6, EnumSet.allOf(ResourceKind.class));
  }

  @Provide
  Arbitrary<Block> compositions() {
    return Scenarios.compositions(4, EnumSet.allOf(ResourceKind.class));
  }

  @AfterContainer
  static void noLibraryThreadOutlivesTheProperties() throws InterruptedException {
    Set<String> lingering = LibraryThreads.lingering(5_000);
    assertTrue(lingering.isEmpty(), () -> "threads left behind: " + lingering);
  }

  /** Fails with every difference from the model, each on its own line. */
  static void assertBehavesAsSpecified(Block scenario) {
    List<String> problems = ScenarioCheck.problems(scenario);
    assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
  }
}
