// mimkit plot: a sweep's JSONL as an SVG figure (every seed, the median over seeds with
// quartile whiskers, an optional success-fraction panel and log-log fit), or as the table of
// exactly the numbers the figure draws. Reading the lines: plot_data.cpp; the statistics and
// the table: plot_table.cpp; drawing: svg.cpp. Here: the options and the figure's assembly.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "plot_data.hpp"
#include "plot_table.hpp"
#include "svg.hpp"
#include "text.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kPlotHelp[] =
    "usage: mimkit plot FILE.jsonl --x KEY --y METRIC[,METRIC...] [options]\n"
    "\n"
    "Draws one line per series: the median over all lines (seeds) at each x, with whiskers from\n"
    "the first to the third quartile, and every seed's own value as a dot beside it. KEY is\n"
    "looked up as grid.KEY, then config.KEY, then as a dotted path; METRIC is a dotted path,\n"
    "e.g. phase1.min_cosine, spectral.min_cosine, phase1.per_direction.0, phase2.test_error,\n"
    "timings.total_s. Lines with an \"error\" member (runs that diverged) are drawn as x marks at\n"
    "the top of the panel at their x and counted in the legend.\n"
    "\n"
    "Traces: --x trace.step --y trace.METRIC (trace.min_cosine, trace.alignment, trace.mass.1,\n"
    "trace.rank.0, trace.singular_values.2, ...) draws one point per trace entry of each line\n"
    "(sweeps with trace_every=K): every run as a thin line, the median over runs as a thick one.\n"
    "\n"
    "options:\n"
    "  --group KEY[,KEY]  one series per distinct value (per combination) of these keys; with\n"
    "                     two or more, colour encodes the first and line style and marker shape\n"
    "                     the others (and the metric, when --y names several)\n"
    "  --where KEY=VALUE  keep only lines where KEY has VALUE (repeatable)\n"
    "  --success 'METRIC>T'  a lower panel: per series and x the share of seeds with METRIC > T\n"
    "                     (or <, >=, <=); a diverged run counts as a failure (in a trace, at\n"
    "                     every step); a trace.* METRIC is tested at each step\n"
    "  --fit loglog       fit y = c x^k to each series' medians by least squares on log-log and\n"
    "                     draw it dashed, with k (and its standard error) in the legend\n"
    "  --vline X[=LABEL]  a dashed vertical reference line at x = X (e.g. a predicted threshold),\n"
    "                     labelled LABEL (default: X); repeatable\n"
    "  --logx, --logy     logarithmic axes\n"
    "  --title TEXT, --xlabel TEXT, --ylabel TEXT (units belong here: --ylabel 'time (s)');\n"
    "                     the title defaults to FILE\n"
    "  --format F         svg (default), or instead of the figure its numbers per series and x\n"
    "                     (n seeds, median, q1, q3, min, max, success, diverged) as table,\n"
    "                     markdown or csv (csv: every digit)\n"
    "  --table            print the table on stdout besides writing the SVG\n"
    "  --out FILE         default: FILE with .svg for svg, stdout for the tables; never\n"
    "                     overwrites without --force\n"
    "  --force            replace an existing --out file\n";

// Natural order: digit runs compare as numbers, so "d = 64" comes before "d = 128".
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) &&
        std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && (std::isdigit(static_cast<unsigned char>(a[ie])) || a[ie] == '.'))
        ++ie;
      while (je < b.size() && (std::isdigit(static_cast<unsigned char>(b[je])) || b[je] == '.'))
        ++je;
      const double x = std::strtod(a.substr(i, ie - i).c_str(), nullptr);
      const double y = std::strtod(b.substr(j, je - j).c_str(), nullptr);
      if (x != y) return x < y;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

Status parse_condition(const std::string& text, Condition* out) {
  const std::size_t at = text.find_first_of("<>");
  const bool equal = at != std::string::npos && at + 1 < text.size() && text[at + 1] == '=';
  const std::size_t value_at = at + (equal ? 2 : 1);
  if (at == std::string::npos || at == 0 ||
      !parse_f64(text.substr(std::min(value_at, text.size())), &out->threshold)) {
    return Status::error(Code::invalid_argument, "--success",
                         "'%s' is not METRIC>THRESHOLD (or <, >=, <=), e.g. "
                         "phase1.min_cosine>0.5",
                         text.c_str());
  }
  out->metric = text.substr(0, at);
  out->op = text.substr(at, equal ? 2 : 1);
  return Status();
}

Status parse_options(const Args& args, Options* o) {
  MIMKIT_TRY(args.require("x"));
  MIMKIT_TRY(args.require("y"));
  args.get_string("x", "", &o->xkey);
  args.get_string("y", "", &o->ytext);
  std::string gtext;
  args.get_string("group", "", &gtext);
  o->metrics = split_list(o->ytext, ',');
  o->groups = split_list(gtext, ',');
  for (const std::string& w : args.all("where")) {
    const std::size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::error(Code::invalid_argument, "--where", "'%s' is not KEY=VALUE", w.c_str());
    }
    o->filters.emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }
  const bool xtrace = starts_with(o->xkey, "trace.");
  for (const std::string& m : o->metrics) {
    if (starts_with(m, "trace.") != xtrace) {
      return Status::error(Code::invalid_argument, xtrace ? "--y" : "--x",
                           "'%s' with --x %s: a trace is drawn with trace paths on both axes "
                           "(--x trace.step --y trace.min_cosine)",
                           m.c_str(), o->xkey.c_str());
    }
  }
  o->trace = xtrace;
  if (args.has("success")) {
    std::string s;
    args.get_string("success", "", &s);
    MIMKIT_TRY(parse_condition(s, &o->success));
    o->has_success = true;
  }
  if (args.has("fit")) {
    std::string kind;
    MIMKIT_TRY(args.get_choice("fit", "loglog", {"loglog"}, &kind));
    o->fit = true;
  }
  for (const std::string& v : args.all("vline")) {
    const std::size_t eq = v.find('=');
    const std::string num = v.substr(0, eq);
    ChartVline line;
    if (!text::parse_real(num.c_str(), &line.x) || !std::isfinite(line.x)) {
      return Status::error(Code::invalid_argument, "--vline",
                           "'%s' is not X or X=LABEL with X a finite number", v.c_str());
    }
    line.label = eq == std::string::npos ? num : v.substr(eq + 1);
    o->vlines.push_back(line);
  }
  MIMKIT_TRY(args.get_choice("format", "svg", {"svg", "table", "markdown", "csv"}, &o->format));
  o->table = args.has("table");
  if (o->table && o->format != "svg") {
    return Status::error(Code::invalid_argument, "--table",
                         "prints the table besides the SVG; --format %s already prints only it",
                         o->format.c_str());
  }
  std::string default_out = "-";
  if (o->format == "svg") {
    default_out = o->path;
    const std::size_t dot = default_out.rfind('.');
    if (dot != std::string::npos && default_out.find('/', dot) == std::string::npos) {
      default_out.erase(dot);
    }
    default_out += ".svg";
  }
  args.get_string("out", default_out, &o->out);
  if (o->table && (o->out == "-" || o->out.empty())) {
    return Status::error(Code::invalid_argument, "--table",
                         "the table goes to stdout, so the figure cannot (--out -): write it to "
                         "a file, or use --format table for the table alone");
  }
  if (o->out != "-" && same_file(o->out, o->path)) {
    return Status::error(Code::invalid_argument, "--out",
                         "'%s' is the input; write the figure to another file", o->out.c_str());
  }
  return Status();
}

// Index of each distinct value in natural order.
std::map<std::string, std::size_t> rank_of(const std::set<std::string>& values,
                                           std::vector<std::string>* ordered) {
  ordered->assign(values.begin(), values.end());
  std::sort(ordered->begin(), ordered->end(), natural_less);
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < ordered->size(); ++i) out[(*ordered)[i]] = i;
  return out;
}

// Colour by the first of (group keys..., metric when there are several), line style and
// marker by the rest; with only one of them (or more colours than the palette has), every
// series gets its own colour and style.
void assign_styles(const Options& o, const std::vector<const SeriesData*>& data, Chart* chart) {
  std::vector<std::string> colour_key(data.size()), style_key(data.size());
  std::set<std::string> colours, styles;
  const bool metric_dim = o.metrics.size() > 1;
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::vector<std::string> dims;
    for (std::size_t g = 0; g < o.groups.size(); ++g) {
      dims.push_back(o.groups[g] + " = " + data[i]->group_values[g]);
    }
    if (metric_dim) dims.push_back(data[i]->metric);
    for (std::size_t d = 0; d < dims.size(); ++d) {
      (d == 0 ? colour_key[i] : style_key[i]) += (d > 1 ? ", " : "") + dims[d];
    }
    colours.insert(colour_key[i]);
    styles.insert(style_key[i]);
  }
  const auto colour_rank = rank_of(colours, &chart->colour_names);
  const auto style_rank = rank_of(styles, &chart->style_names);
  const bool factored = styles.size() > 1 && colours.size() <= 8;
  for (std::size_t i = 0; i < data.size(); ++i) {
    ChartSeries& s = chart->series[i];
    s.colour = factored ? colour_rank.at(colour_key[i]) : i % 8;
    s.style = factored ? style_rank.at(style_key[i]) : i / 8;
  }
  if (!factored) {
    chart->colour_names.clear();
    chart->style_names.clear();
  }
}

Status write_text(const std::string& path, bool force, const std::string& body) {
  OutputFile output;
  MIMKIT_TRY(output.open(path, force));
  std::fwrite(body.data(), 1, body.size(), output.file());
  return output.commit();
}

void warn(const Options& o, const Collected& c) {
  if (c.duplicates > 0) {
    std::fprintf(stderr,
                 "mimkit plot: warning: %zu lines repeat a point already read (same point_key); "
                 "each point is drawn once\n",
                 c.duplicates);
  }
  if (c.sweeps.size() > 1) {
    std::fprintf(stderr,
                 "mimkit plot: warning: '%s' mixes %zu sweeps (different sweep ids); their points "
                 "are pooled as seeds\n",
                 o.path.c_str(), c.sweeps.size());
  }
  if (c.skipped > 0) {
    std::fprintf(stderr, "mimkit plot: %zu values without a number for --x or --y were skipped\n",
                 c.skipped);
  }
  if (c.diverged > 0) {
    std::fprintf(stderr, "mimkit plot: %zu runs diverged (error lines); %s\n", c.diverged,
                 o.trace ? "counted in the legend" : "drawn as marks");
  }
  if (c.success_missing > 0) {
    std::fprintf(stderr,
                 "mimkit plot: warning: %zu values have no number for --success %s; they are "
                 "left out of the success fraction\n",
                 c.success_missing, o.success.metric.c_str());
  }
}

}  // namespace

int cmd_plot(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[2], "--help") == 0) {
    std::fputs(kPlotHelp, stdout);
    return kExitOk;
  }
  if (argc < 3 || std::strncmp(argv[2], "--", 2) == 0) {
    return report(Status::error(Code::invalid_argument, "plot",
                                "needs a FILE.jsonl first (see mimkit plot --help)"));
  }
  Options o;
  o.path = argv[2];
  Args args;
  if (int code = report(args.parse(argc, argv, 3,
                                   {"x", "y", "group", "where", "title", "xlabel", "ylabel", "out",
                                    "success", "fit", "format", "vline"},
                                   {"logx", "logy", "force", "table", "help"}))) {
    return code;
  }
  if (int code = report(parse_options(args, &o))) return code;
  if (int code = report(check_output(o.out, args.has("force")))) return code;

  Collected c;
  if (int code = report(collect(o, &c))) return code;
  bool any = false;
  for (const auto& s : c.series) {
    for (const auto& cell : s.second.cells) any = any || !cell.second.values.empty();
  }
  if (!any) {
    return report(Status::error(Code::invalid_argument, "plot",
                                "no points: no line of '%s' has both --x %s and --y %s as numbers",
                                o.path.c_str(), o.xkey.c_str(), o.ytext.c_str()));
  }
  warn(o, c);

  Chart chart;
  chart.logx = args.has("logx");
  chart.logy = args.has("logy");
  chart.trace = o.trace;
  chart.diverged = c.diverged;
  chart.vlines = o.vlines;
  if (o.has_success) chart.success = o.success.text();
  args.get_string("title", o.path, &chart.title);
  args.get_string("xlabel", o.xkey, &chart.xlabel);
  args.get_string("ylabel", o.ytext, &chart.ylabel);
  std::vector<std::string> names;
  for (const auto& s : c.series) names.push_back(s.first);
  std::sort(names.begin(), names.end(), natural_less);
  std::vector<const SeriesData*> data;
  for (const std::string& name : names) {
    SeriesData& sd = c.series[name];
    ChartSeries s;
    s.name = name;
    s.runs = sd.runs;
    s.diverged_unplaced = sd.diverged_unplaced;
    for (auto& xs : sd.cells) {
      // A diverged run has no trace: it is a failure at every step.
      if (o.has_success && o.trace) xs.second.tried += sd.diverged_unplaced;
      s.points.push_back(summarise(xs.first, xs.second));
    }
    if (o.fit) {
      s.fit = fit_loglog(s.points);
      if (!s.fit.ok) {
        std::fprintf(stderr,
                     "mimkit plot: warning: --fit: series '%s' has fewer than 2 distinct "
                     "positive (x, median) points; not fitted\n",
                     name.c_str());
      }
    }
    chart.series.push_back(s);
    data.push_back(&sd);
  }
  assign_styles(o, data, &chart);

  if (o.format != "svg") {
    return report(write_text(o.out, args.has("force"), render_table(o, chart, data)));
  }
  if (int code = report(write_text(o.out, args.has("force"), render_svg(chart)))) return code;
  if (o.out != "-") std::fprintf(stderr, "mimkit plot: wrote %s\n", o.out.c_str());
  if (o.table) {
    const std::string table = render_table(o, chart, data);
    std::fwrite(table.data(), 1, table.size(), stdout);
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mimkit
