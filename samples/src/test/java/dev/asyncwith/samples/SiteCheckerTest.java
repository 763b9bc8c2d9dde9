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
          "-- (c) generator-style @AsyncContextManager methods: HttpSession and HttpGet",
          "-- (d) an AsyncTaskGroup: each site's failure is its own",
          "-- (e) an AsyncTaskGroup that fails fast: the first failure cancels the rest");

  /** The ways that check every site whatever happens to the others: (a) to (d). */
  private static final int CHECK_EVERY_SITE = 4;

  @Test
  void checksTheLocalSiteConcurrentlyFiveWays() throws Exception {
    Output output = new Output();

    new SiteChecker().run(output.stream(), List.of());

    List<String> lines = output.lines();
    assertTrue(lines.get(0).startsWith("serving a local site at http://127.0.0.1:"), lines.get(0));
    URI base = URI.create(lines.get(0).substring("serving a local site at ".length()));
    List<List<String>> sections = sections(lines.subList(1, lines.size()));
    String slow = base + "/slow";
    String home = base + "/";
    String api = base + "/api/status";
    String missing = base + "/missing";
    String broken = base + "/broken";
    for (List<String> section : sections.subList(0, CHECK_EVERY_SITE)) {
      boolean taskGroup = section.get(0).startsWith("-- (d)");
      if (taskGroup) {
        assertEquals("5 sites checked: 4 answered, 1 failed", section.remove(section.size() - 1));
      }
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
    assertFailedFast(sections.get(CHECK_EVERY_SITE), slow, broken, List.of(home, api, missing));
  }

  /**
   * (e): the broken page fails at once, which cancels the slow one still in flight; the fast
   * pages either answered first or were cancelled too; the statement fails with the broken page's
   * failure once every check has ended, after the session has closed.
   */
  private static void assertFailedFast(
      List<String> section, String slow, String broken, List<String> fast) {
    String all = String.join("\n", section);
    assertEquals("session opened", section.get(1), all);
    assertTrue(section.contains(slow + ": cancelled"), all);
    String failedLine =
        section.stream().filter(line -> line.startsWith(broken + ": failed -> ")).findFirst().orElseThrow();
    String reason = failedLine.substring((broken + ": failed -> ").length());
    assertEquals("session closed", section.get(section.size() - 2), all);
    assertEquals("failed fast -> " + reason, section.get(section.size() - 1), all);
    int expected = 6; // the header, opened, slow cancelled, broken failed, closed, failed fast
    for (String page : fast) {
      if (section.contains(page + ": cancelled")) {
        expected += 1;
      } else {
        int status = section.indexOf(page + ": status -> " + (page.endsWith("/missing") ? 404 : 200));
        assertTrue(status > 0, page + " answered or was cancelled:\n" + all);
        expected += 2;
      }
    }
    assertEquals(expected, section.size(), all);
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
        String last = section.get(section.size() - 1);
        int expected = 7;
        if (last.equals("2 sites checked: 2 answered, 0 failed") || last.equals("all 2 sites answered")) {
          expected = 8;
        }
        assertEquals(expected, section.size(), String.join("\n", section));
        assertReported(section, home.toString(), 200, "<!doctype html>");
        assertReported(section, api.toString(), 200, "{\"status\": \"ok\"");
      }
      assertEquals("all 2 sites answered", sections.get(4).get(sections.get(4).size() - 1));
      assertEquals(
          "2 sites checked: 2 answered, 0 failed", sections.get(3).get(sections.get(3).size() - 1));
    }
  }

  /** Splits the output into the five ways' sections, checking they come in order. */
  private static List<List<String>> sections(List<String> lines) {
    List<List<String>> sections = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("-- ")) {
        assertEquals(WAYS.get(sections.size()), line);
        sections.add(new ArrayList<>());
      }
      sections.get(sections.size() - 1).add(line);
    }
    assertEquals(WAYS.size(), sections.size());
    return sections;
  }

  /** The status line, immediately followed by the type line with the body's first characters. */
  private static void assertReported(List<String> section, String url, int status, String start) {
    int statusLine = section.indexOf(url + ": status -> " + status);
    assertTrue(statusLine > 0, url + " status " + status + " in:\n" + String.join("\n", section));
    assertEquals(url + ": type -> " + start, section.get(statusLine + 1));
  }
}
