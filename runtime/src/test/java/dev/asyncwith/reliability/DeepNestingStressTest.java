package dev.asyncwith.reliability;

import dev.asyncwith.reliability.CancellationPropertiesTest.CancelScenario;
import dev.asyncwith.reliability.DeepNestingPropertiesTest.Nesting;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Assertions;

/**
 * The deep properties with many more tries than the default build affords: the reference model
 * over nestings up to 10,000 deep, and cancellation at any level of such nestings on a stack
 * smaller than the JDK's default. Tagged {@code stress}, like the other long suites.
 */
@Tag("stress")
class DeepNestingStressTest {

  @Property(tries = 20)
  void nestingsUpToTenThousandDeepFollowTheModel(@ForAll("deepNestings") Nesting nesting) {
    DeepNestingPropertiesTest.check(nesting);
  }

  @Property(tries = 60)
  void cancellingAnyLevelOfADeepNestingReleasesEverythingOnce(
      @ForAll("deepCancellations") CancelScenario scenario) {
    Statistics.label("depth").collect(CancellationPropertiesTest.depthBucket(scenario.depth()));
    List<String> problems =
        CancellationPropertiesTest.onSmallStack(() -> CancellationPropertiesTest.run(scenario));
    Assertions.assertEquals(List.of(), problems, () -> CancellationPropertiesTest.describe(scenario)
        + "\n  " + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
  }

  @Provide
  Arbitrary<Nesting> deepNestings() {
    return DeepNestingPropertiesTest.nestings();
  }

  @Provide
  Arbitrary<CancelScenario> deepCancellations() {
    return new CancellationPropertiesTest().deepScenarios();
  }
}
