// mimkit plot: a sweep's JSONL as an SVG figure (every seed, the median over seeds with
// quartile whiskers, an optional success-fraction panel and log-log fit), or as the table of
// exactly the numbers the figure draws.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"
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

const Json* lookup(const Json& row, const std::string& key) {
  if (const Json* g = row.path("grid." + key)) return g;
  if (const Json* c = row.path("config." + key)) return c;
  return row.path(key);
}

double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(i);
  return i + 1 < sorted.size() ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

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

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

// The shortest decimal that reads back as v.
std::string shortest(double v) {
  char buf[32];
  text::format_real(v, buf, sizeof buf);
  return buf;
}

// "METRIC>T", "METRIC<T", ">=", "<=": the --success condition.
struct Condition {
  std::string metric;
  std::string op;
  double threshold = 0;
  std::string text() const { return metric + " " + op + " " + shortest(threshold); }
  // NaN (a metric written as null) meets no condition.
  bool meets(double v) const {
    if (op == ">") return v > threshold;
    if (op == ">=") return v >= threshold;
    if (op == "<") return v < threshold;
    return v <= threshold;
  }
};

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

struct Options {
  std::string path, xkey, ytext, format, out;
  std::vector<std::string> metrics, groups;
  std::vector<std::pair<std::string, std::string>> filters;
  bool trace = false;  // --x and --y are trace.* paths
  bool has_success = false;
  Condition success;
  bool fit = false;
  bool table = false;  // --table: the table on stdout besides the SVG
};

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

// What the runs of one series say at one x.
struct Cell {
  std::vector<double> values;
  std::vector<std::string> seeds;
  std::size_t diverged = 0, successes = 0, tried = 0;
};

struct SeriesData {
  std::string metric;                     // --y path
  std::vector<std::string> group_values;  // per --group key
  std::map<double, Cell> cells;
  std::vector<ChartRun> runs;         // trace mode
  std::size_t diverged_unplaced = 0;  // diverged runs without an x (trace mode)
};

struct Collected {
  std::map<std::string, SeriesData> series;
  std::size_t skipped = 0, duplicates = 0, diverged = 0, success_missing = 0;
  std::set<std::string> sweeps;
};

std::string seed_of(const Json& row) {
  const Json* s = row.path("grid.seed");
  if (s == nullptr) s = row.path("config.seed");
  return s != nullptr ? s->text() : "";
}

// The series a line (or its metric m) belongs to, created on first use.
SeriesData& series_for(Collected* c, const Options& o, const std::string& m,
                       const std::vector<std::string>& values) {
  std::string group;
  for (std::size_t i = 0; i < o.groups.size(); ++i) {
    group += (group.empty() ? "" : ", ") + o.groups[i] + " = " + values[i];
  }
  std::string name = o.metrics.size() > 1 ? m : "";
  if (!group.empty()) name += (name.empty() ? "" : " | ") + group;
  if (name.empty()) name = m;
  SeriesData& s = c->series[name];
  s.metric = m;
  s.group_values = values;
  return s;
}

// The success test of `source` (a line, or a trace entry for trace.* metrics) into cell.
void test_success(const Options& o, const Json& source, const std::string& path, Cell* cell,
                  Collected* c) {
  const Json* v = source.path(path);
  if (v == nullptr || (v->type() != Json::Type::number && v->type() != Json::Type::null)) {
    ++c->success_missing;
    return;
  }
  ++cell->tried;
  // null is a non-finite number in mimkit's reports: it meets no threshold.
  if (v->is_number() && o.success.meets(v->number())) ++cell->successes;
}

void add_trace_line(const Options& o, const Json& row, const std::vector<std::string>& values,
                    Collected* c) {
  const Json* trace = row.get("trace");
  if (trace == nullptr || trace->type() != Json::Type::array || trace->items().empty()) {
    c->skipped += o.metrics.size();
    return;
  }
  const std::string xrest = o.xkey.substr(6);
  const bool trace_success = o.has_success && starts_with(o.success.metric, "trace.");
  for (const std::string& m : o.metrics) {
    SeriesData& s = series_for(c, o, m, values);
    ChartRun run;
    run.seed = seed_of(row);
    for (const Json& entry : trace->items()) {
      const Json* xv = entry.path(xrest);
      const Json* yv = entry.path(m.substr(6));
      if (xv == nullptr || !xv->is_number()) continue;
      Cell& cell = s.cells[xv->number()];
      if (yv != nullptr && yv->is_number()) {
        run.points.emplace_back(xv->number(), yv->number());
        cell.values.push_back(yv->number());
        cell.seeds.push_back(run.seed);
      } else {
        ++c->skipped;
      }
      if (trace_success) test_success(o, entry, o.success.metric.substr(6), &cell, c);
      if (o.has_success && !trace_success) test_success(o, row, o.success.metric, &cell, c);
    }
    s.runs.push_back(run);
  }
}

void add_line(const Options& o, const Json& row, Collected* c) {
  std::vector<std::string> values;
  for (const std::string& g : o.groups) {
    const Json* gv = lookup(row, g);
    values.push_back(gv ? gv->text() : "?");
  }
  const bool diverged = row.get("error") != nullptr;
  if (diverged) ++c->diverged;
  const Json* xv = o.trace ? nullptr : lookup(row, o.xkey);
  if (o.trace && !diverged) return add_trace_line(o, row, values, c);
  if (xv == nullptr || !xv->is_number()) {
    if (!diverged) {
      ++c->skipped;
      return;
    }
    for (const std::string& m : o.metrics) ++series_for(c, o, m, values).diverged_unplaced;
    return;
  }
  for (const std::string& m : o.metrics) {
    const Json* yv = diverged ? nullptr : row.path(m);
    const bool has_y = yv != nullptr && yv->is_number();
    if (!diverged && !has_y) ++c->skipped;
    if (!diverged && !has_y && !o.has_success) continue;
    Cell& cell = series_for(c, o, m, values).cells[xv->number()];
    if (diverged) {
      ++cell.diverged;
      if (o.has_success) ++cell.tried;
      continue;
    }
    if (has_y) {
      cell.values.push_back(yv->number());
      cell.seeds.push_back(seed_of(row));
    }
    if (o.has_success) test_success(o, row, o.success.metric, &cell, c);
  }
}

Status collect(const Options& o, Collected* c) {
  std::set<std::string> seen_keys;
  auto on_line = [&](const std::string& line, std::size_t line_no, bool) -> Status {
    if (line.empty()) return Status();
    Json row;
    const Status st = Json::parse(line, &row);
    if (!st.ok()) {
      return Status::error(Code::parse_error, "plot", "%s:%zu: %s", o.path.c_str(), line_no,
                           st.message());
    }
    // A point twice (two writers, a file appended to twice) would count as two seeds.
    const Json* point_key = row.get("point_key");
    if (point_key != nullptr && !seen_keys.insert(point_key->text()).second) {
      ++c->duplicates;
      return Status();
    }
    if (const Json* id = row.path("sweep.id")) c->sweeps.insert(id->text());
    for (const auto& f : o.filters) {
      const Json* v = lookup(row, f.first);
      if (v == nullptr || v->text() != f.second) return Status();
    }
    add_line(o, row, c);
    return Status();
  };
  return for_each_line(o.path, "plot", std::move(on_line));
}

ChartPoint summarise(double x, const Cell& cell) {
  ChartPoint p;
  p.x = x;
  p.values = cell.values;
  p.seeds = cell.seeds;
  p.count = cell.values.size();
  p.diverged = cell.diverged;
  p.successes = cell.successes;
  p.tried = cell.tried;
  if (cell.values.empty()) {
    p.median = p.q1 = p.q3 = p.min = p.max = NAN;
    return p;
  }
  std::vector<double> sorted = cell.values;
  std::sort(sorted.begin(), sorted.end());
  p.median = quantile(sorted, 0.5);
  p.q1 = quantile(sorted, 0.25);
  p.q3 = quantile(sorted, 0.75);
  p.min = sorted.front();
  p.max = sorted.back();
  return p;
}

// Least squares of log10(median) on log10(x) over the points both logs exist for.
ChartFit fit_loglog(const std::vector<ChartPoint>& points) {
  std::vector<std::pair<double, double>> xy;
  for (const ChartPoint& p : points) {
    if (p.x > 0 && p.median > 0 && std::isfinite(p.x) && std::isfinite(p.median)) {
      xy.emplace_back(std::log10(p.x), std::log10(p.median));
    }
  }
  ChartFit f;
  f.n = xy.size();
  if (xy.size() < 2) return f;
  double mx = 0, my = 0;
  for (const auto& v : xy) {
    mx += v.first;
    my += v.second;
  }
  mx /= static_cast<double>(xy.size());
  my /= static_cast<double>(xy.size());
  double sxx = 0, sxy = 0;
  for (const auto& v : xy) {
    sxx += (v.first - mx) * (v.first - mx);
    sxy += (v.first - mx) * (v.second - my);
  }
  if (!(sxx > 0)) return f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  f.slope_se = NAN;
  if (xy.size() >= 3) {
    double ssr = 0;
    for (const auto& v : xy) {
      const double r = v.second - (f.intercept + f.slope * v.first);
      ssr += r * r;
    }
    f.slope_se = std::sqrt(ssr / static_cast<double>(xy.size() - 2) / sxx);
  }
  f.xlo = std::pow(10.0, xy.front().first);
  f.xhi = std::pow(10.0, xy.back().first);
  f.ok = true;
  return f;
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

// ----- the table -----

std::string real(double v, bool every_digit) {
  if (!std::isfinite(v)) return every_digit ? "" : "-";
  if (every_digit) return shortest(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string render_table(const Options& o, const Chart& chart,
                         const std::vector<const SeriesData*>& data) {
  const bool csv = o.format == "csv", md = o.format == "markdown";
  std::vector<std::string> header;
  if (o.metrics.size() > 1) header.push_back("metric");
  for (const std::string& g : o.groups) header.push_back(g);
  for (const char* h : {"n", "median", "q1", "q3", "min", "max"}) header.push_back(h);
  header.insert(header.end() - 6, o.xkey);
  if (o.has_success) {
    if (csv) {
      header.insert(header.end(), {"success", "successes", "runs"});
    } else {
      header.push_back("success (" + o.success.text() + ")");
    }
  }
  header.push_back("diverged");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    for (const ChartPoint& p : chart.series[i].points) {
      std::vector<std::string> r;
      if (o.metrics.size() > 1) r.push_back(data[i]->metric);
      r.insert(r.end(), data[i]->group_values.begin(), data[i]->group_values.end());
      r.push_back(shortest(p.x));
      r.push_back(std::to_string(p.count));
      for (double v : {p.median, p.q1, p.q3, p.min, p.max}) r.push_back(real(v, csv));
      if (o.has_success) {
        const double share =
            p.tried > 0 ? static_cast<double>(p.successes) / static_cast<double>(p.tried) : NAN;
        if (csv) {
          r.push_back(real(share, true));
          r.push_back(std::to_string(p.successes));
          r.push_back(std::to_string(p.tried));
        } else {
          r.push_back(p.tried == 0 ? "-"
                                   : real(share, false) + " (" + std::to_string(p.successes) + "/" +
                                         std::to_string(p.tried) + ")");
        }
      }
      r.push_back(std::to_string(p.diverged));
      rows.push_back(r);
    }
  }
  std::string out;
  if (csv) {
    rows.insert(rows.begin(), header);
    for (const auto& r : rows) {
      for (std::size_t k = 0; k < r.size(); ++k) out += (k ? "," : "") + csv_field(r[k]);
      out += "\n";
    }
    return out;
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t k = 0; k < header.size(); ++k) {
    width[k] = header[k].size();
    for (const auto& r : rows) width[k] = std::max(width[k], r[k].size());
  }
  auto emit = [&](const std::vector<std::string>& r) {
    std::string l = md ? "|" : "";
    for (std::size_t k = 0; k < r.size(); ++k) {
      const std::string pad(width[k] - r[k].size(), ' ');
      // Names left-aligned, numbers right-aligned.
      const bool left = k < header.size() - (o.has_success ? 9 : 8);
      l += (md ? " " : k ? "  " : "") + (left ? r[k] + pad : pad + r[k]) + (md ? " |" : "");
    }
    while (!md && !l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  emit(header);
  if (md) {
    std::vector<std::string> rule;
    for (std::size_t k = 0; k < header.size(); ++k) rule.push_back(std::string(width[k], '-'));
    emit(rule);
  }
  for (const auto& r : rows) emit(r);
  for (const ChartSeries& s : chart.series) {
    if (!s.fit.ok) continue;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%sfit%s%s: y = %.4g * x^k, k = %.4g +- %.2g (%zu medians)\n",
                  md ? "\n" : "", chart.series.size() > 1 ? " " : "",
                  chart.series.size() > 1 ? s.name.c_str() : "", std::pow(10.0, s.fit.intercept),
                  s.fit.slope, s.fit.slope_se, s.fit.n);
    out += buf;
  }
  return out;
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
                                    "success", "fit", "format"},
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
