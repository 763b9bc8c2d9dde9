package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeveralResourcesTest {

  @Test
  void entersLeftToRightReleasesRightToLeftAndReleasesOnlyWhatWasAcquired() throws Exception {
    Output output = new Output();

    new SeveralResources().run(output.stream(), List.of());

    assertEquals(
        List.of(
            "-- two resources: AsyncWith.with(a, b, body)",
            "acquire database",
            "acquire cache",
            "using database and cache",
            "release cache",
            "release database",
            "-- three resources: AsyncWith.with(a, b, c, body)",
            "acquire config",
            "acquire database",
            "acquire cache",
            "using config, database and cache",
            "release cache",
            "release database",
            "release config",
            "-- a number known only at run time: AsyncExitStack",
            "acquire shard-0",
            "acquire shard-1",
            "acquire shard-2",
            "acquire shard-3",
            "using shard-0, shard-1, shard-2, shard-3",
            "release shard-3",
            "release shard-2",
            "release shard-1",
            "release shard-0",
            "callback: every shard is released",
            "-- an enter that fails part-way: only what was acquired is released",
            "acquire shard-0",
            "acquire shard-1",
            "acquire shard-2 failed",
            "release shard-1 after IllegalStateException",
            "release shard-0 after IllegalStateException",
            "caller saw java.lang.IllegalStateException: shard-2 is unavailable"),
        output.lines());
  }
}
