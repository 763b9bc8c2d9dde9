package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Draws the chart BENCHMARKS.md leads with: one cycle's cost for the hand-written floor, asyncwith
 * (both styles, each statement), Reactor and CPython, side by side, as an SVG. Every bar comes
 * from the files one run of {@code run.sh} wrote, so no figure in the chart is typed by hand.
 *
 * <p>Usage: {@code CycleChart --out FILE.svg [--python python.json] LABEL=table.tsv...}, where
 * each {@code table.tsv} is what {@code RunBenchmarks --table} wrote on one JDK and {@code LABEL}
 * names that JDK in the legend ({@code "JDK 17"}). A row whose benchmark a table lacks is drawn
 * without that JDK's bar; a row no file has is left out.
 */
public final class CycleChart {
  /**
   * The rows, top to bottom: label, and the benchmark measured for it ({@code Class.method} in
   * this package).
   */
  private static final List<Row> ROWS = List.of(
      Row.java("hand-written CompletableFuture chain (use's floor)", "CycleBenchmark.floor"),
      Row.java("hand-written manager with try/finally (call's floor)",
          "CallBenchmark.handWrittenTryFinally"),
      Row.java("hand-written AsyncResource through use", "CycleBenchmark.handWrittenUse"),
      Row.java("rule minimum: the least any engine can do",
          "CycleBenchmark.ruleMinimum"),
      Row.java("asyncwith, generated non-blocking, use", "CycleBenchmark.generatedUse"),
      Row.java("asyncwith, generated non-blocking, call", "CallBenchmark.nonBlockingCall"),
      Row.java("asyncwith, generated blocking, call", "CallBenchmark.blockingCall"),
      Row.java("asyncwith, generated blocking, use", "CycleBenchmark.generatedBlocking"),
      Row.java("Reactor Mono.usingWhen", "CycleBenchmark.reactorUsingWhen"),
      Row.python("CPython @contextmanager (with)", PythonAnchor::contextManagerNanos),
      Row.python("CPython @asynccontextmanager (async with)",
          PythonAnchor::asyncContextManagerNanos));

  private static final String[] JDK_COLOURS = {"#3b6ea8", "#e08a2c", "#5a9e4b", "#8e5ea2"};
  private static final String PYTHON_COLOUR = "#8c8c8c";

  private static final int LABEL_WIDTH = 330;
  private static final int PLOT_WIDTH = 520;
  private static final int VALUE_MARGIN = 90;
  private static final int BAR_HEIGHT = 13;
  private static final int ROW_GAP = 10;
  private static final int TOP = 58;

  private CycleChart() {}

  /**
   * Writes the chart.
   *
   * @param args the options described on the class
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Path out = null;
    Path python = null;
    Map<String, Map<String, Double>> tables = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else if (args[i].equals("--python") && i + 1 < args.length) {
        python = Path.of(args[++i]);
      } else if (args[i].contains("=")) {
        String label = args[i].substring(0, args[i].indexOf('='));
        Path table = Path.of(args[i].substring(args[i].indexOf('=') + 1));
        if (Files.isRegularFile(table)) {
          tables.put(label, readBestNanos(table));
        }
      } else {
        throw new IllegalArgumentException("CycleChart: unknown argument " + args[i]);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("CycleChart: --out FILE is required");
    }
    Optional<PythonAnchor> anchor = python == null ? Optional.empty() : PythonAnchor.read(python);
    String svg = render(tables, anchor);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(out, svg);
  }

  /**
   * Reads the best time per operation, in nanoseconds, of every average-time row in a table that
   * {@link RunBenchmarks} wrote, keyed {@code Class.method}.
   */
  static Map<String, Double> readBestNanos(Path table) throws IOException {
    Map<String, Double> best = new LinkedHashMap<>();
    String prefix = CycleChart.class.getPackageName() + ".";
    for (String line : Files.readAllLines(table)) {
      String[] fields = line.split("\t");
      if (fields.length >= 3 && fields[0].startsWith(prefix) && fields[1].equals("avgt")) {
        best.put(fields[0].substring(prefix.length()), Double.parseDouble(fields[2]));
      }
    }
    return best;
  }

  /** The chart as SVG text: one group of bars a row, a log-scale axis of nanoseconds. */
  static String render(Map<String, Map<String, Double>> tables, Optional<PythonAnchor> python) {
    List<Drawn> rows = new ArrayList<>();
    for (Row row : ROWS) {
      List<Bar> bars = new ArrayList<>();
      if (row.benchmark() != null) {
        int jdk = 0;
        for (Map.Entry<String, Map<String, Double>> table : tables.entrySet()) {
          Double nanos = table.getValue().get(row.benchmark());
          if (nanos != null && nanos > 0) {
            bars.add(new Bar(table.getKey(), JDK_COLOURS[jdk % JDK_COLOURS.length], nanos));
          }
          jdk++;
        }
      } else {
        OptionalDouble nanos = python.map(anchor -> OptionalDouble.of(row.python().nanos(anchor)))
            .orElse(OptionalDouble.empty());
        if (nanos.isPresent() && nanos.getAsDouble() > 0) {
          bars.add(new Bar(python.get().python(), PYTHON_COLOUR, nanos.getAsDouble()));
        }
      }
      if (!bars.isEmpty()) {
        rows.add(new Drawn(row.label(), bars));
      }
    }
    double max = rows.stream().flatMap(r -> r.bars().stream()).mapToDouble(Bar::nanos).max()
        .orElse(10);
    double min = rows.stream().flatMap(r -> r.bars().stream()).mapToDouble(Bar::nanos).min()
        .orElse(1);
    int lowDecade = (int) Math.floor(Math.log10(min));
    int highDecade = Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(max)));

    int height = TOP;
    for (Drawn row : rows) {
      height += row.bars().size() * BAR_HEIGHT + ROW_GAP;
    }
    int axisY = height + 4;
    int totalHeight = axisY + 60;
    int totalWidth = LABEL_WIDTH + PLOT_WIDTH + VALUE_MARGIN;

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"12\">%n",
        totalWidth, totalHeight, totalWidth, totalHeight));
    svg.append(String.format(Locale.ROOT,
        "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", totalWidth, totalHeight));
    svg.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">One cycle (enter,"
        + " an already-complete block, exit): time per cycle, log scale, lower is better</text>\n");
    svg.append("<text x=\"10\" y=\"38\" fill=\"#555\">JMH best iteration on each JDK (CPython:"
        + " timeit's minimum), one run of benchmarks/run.sh; see BENCHMARKS.md</text>\n");

    // Decade grid lines and their labels.
    for (int decade = lowDecade; decade <= highDecade; decade++) {
      double x = x(Math.pow(10, decade), lowDecade, highDecade);
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
          x, TOP - 8, x, axisY));
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
          x, axisY + 16, durationLabel(Math.pow(10, decade))));
    }

    int y = TOP;
    for (Drawn row : rows) {
      int rowHeight = row.bars().size() * BAR_HEIGHT;
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LABEL_WIDTH - 8, y + rowHeight / 2.0 + 4, escape(row.label())));
      for (Bar bar : row.bars()) {
        double end = x(bar.nanos(), lowDecade, highDecade);
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                + "<title>%s: %s</title></rect>%n",
            LABEL_WIDTH, y + 1, Math.max(1, end - LABEL_WIDTH), BAR_HEIGHT - 2, bar.colour(),
            escape(bar.series()), durationLabel(bar.nanos())));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#333\">%s</text>%n",
            end + 4, y + BAR_HEIGHT - 3, durationLabel(bar.nanos())));
        y += BAR_HEIGHT;
      }
      y += ROW_GAP;
    }

    // Legend: one swatch a series, in the order first drawn.
    Map<String, String> legend = new LinkedHashMap<>();
    for (Drawn row : rows) {
      for (Bar bar : row.bars()) {
        legend.putIfAbsent(bar.series(), bar.colour());
      }
    }
    int legendX = LABEL_WIDTH;
    for (Map.Entry<String, String> entry : legend.entrySet()) {
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
          legendX, axisY + 30, entry.getValue()));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
          legendX + 16, axisY + 40, escape(entry.getKey())));
      legendX += 24 + 7 * entry.getKey().length();
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double x(double nanos, int lowDecade, int highDecade) {
    double fraction = (Math.log10(nanos) - lowDecade) / (highDecade - lowDecade);
    return LABEL_WIDTH + fraction * PLOT_WIDTH;
  }

  /** A duration for a person: {@code 8.3 ns}, {@code 15.0 µs}, {@code 1.2 ms}. */
  static String durationLabel(double nanos) {
    if (nanos < 1_000) {
      return String.format(Locale.ROOT, nanos < 10 ? "%.1f ns" : "%.0f ns", nanos);
    }
    if (nanos < 1_000_000) {
      double micros = nanos / 1_000;
      return String.format(Locale.ROOT, micros < 10 ? "%.1f µs" : "%.0f µs", micros);
    }
    double millis = nanos / 1_000_000;
    return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** How a row reads CPython's figure from the anchor. */
  @FunctionalInterface
  private interface PythonFigure {
    double nanos(PythonAnchor anchor);
  }

  /** A row of the chart: measured by a Java benchmark, or by the CPython anchor. */
  private record Row(String label, String benchmark, PythonFigure python) {
    static Row java(String label, String benchmark) {
      return new Row(label, benchmark, null);
    }

    static Row python(String label, PythonFigure figure) {
      return new Row(label, null, figure);
    }
  }

  private record Bar(String series, String colour, double nanos) {}

  private record Drawn(String label, List<Bar> bars) {}
}
