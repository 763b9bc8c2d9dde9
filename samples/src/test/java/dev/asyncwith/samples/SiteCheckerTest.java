package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteCheckerTest {

  private static final List<String> WAYS =
      List.of(
          "-- (a) nested use calls, with AsyncContexts.aclosing and AsyncContexts.closing",
          "-- (b) a hand-written AsyncResource: ClientSession",
          "-- (c) generator-style @AsyncContextManager methods: HttpSession and HttpGet");

  @Test
  void checksTheLocalSiteConcurrentlyThreeWays() throws Exception {
    Output output = new Output();

    new SiteChecker().run(output.stream(), List.of());

    List<String> lines = output.lines();
    assertTrue(lines.get(0).startsWith("serving a local site at http://127.0.0.1:"), lines.get(0));
    URI base = URI.create(lines.get(0).substring("serving a local site at ".length()));
    List<List<String>> sections = sections(lines.subList(1, lines.size()));
    for (List<String> section : sections) {
      String slow = base + "/slow";
      String home = base + "/";
      String api = base + "/api/status";
      String missing = base + "/missing";
      String broken = base + "/broken";
      assertEquals("session opened", section.get(1), String.join("\n", section));
      assertEquals("session closed", section.get(section.size() - 1), String.join("\n", section));
      assertReported(section, slow, 200, "slow and steady");
      assertReported(section, home, 200, "<!doctype html>");
      assertReported(section, api, 200, "{\"status\": \"ok\"");
      assertReported(section, missing, 404, "not found: /mis");
      assertEquals(
          1,
          section.stream().filter(line -> line.startsWith(broken + ": failed -> ")).count(),
          String.join("\n", section));
      // The header, opened, four pages with two lines each, the failed one, closed.
      assertEquals(12, section.size(), String.join("\n", section));
      // Listed first but answering last: the checks ran concurrently, not one after another.
      int slowLine = section.indexOf(slow + ": status -> 200");
      for (String fast : List.of(home, api, missing)) {
        assertTrue(
            section.indexOf(fast + ": status -> " + (fast.equals(missing) ? 404 : 200)) < slowLine,
            fast + " is reported before the slow page:\n" + String.join("\n", section));
      }
    }
  }

  @Test
  void checksTheUrlsGivenOnTheCommandLine() throws Exception {
    Output output = new Output();
    try (LocalSites site = LocalSites.start()) {
      URI home = site.page("/");
      URI api = site.page("/api/status");

      new SiteChecker().run(output.stream(), List.of(home.toString(), api.toString()));

      List<List<String>> sections = sections(output.lines());
      for (List<String> section : sections) {
        assertEquals(7, section.size(), String.join("\n", section));
        assertReported(section, home.toString(), 200, "<!doctype html>");
        assertReported(section, api.toString(), 200, "{\"status\": \"ok\"");
      }
    }
  }

  /** Splits the output into the three ways' sections, checking they come in order. */
  private static List<List<String>> sections(List<String> lines) {
    List<List<String>> sections = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("-- ")) {
        assertEquals(WAYS.get(sections.size()), line);
        sections.add(new ArrayList<>());
      }
      sections.get(sections.size() - 1).add(line);
    }
    assertEquals(3, sections.size());
    return sections;
  }

  /** The status line, immediately followed by the type line with the body's first characters. */
  private static void assertReported(List<String> section, String url, int status, String start) {
    int statusLine = section.indexOf(url + ": status -> " + status);
    assertTrue(statusLine > 0, url + " status " + status + " in:\n" + String.join("\n", section));
    assertEquals(url + ": type -> " + start, section.get(statusLine + 1));
  }
}
