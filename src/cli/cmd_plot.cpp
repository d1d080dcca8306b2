// mimkit plot: a sweep's JSONL as an SVG figure (median over seeds, quartile whiskers).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"
#include "svg.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kPlotHelp[] =
    "usage: mimkit plot FILE.jsonl --x KEY --y METRIC[,METRIC...] [options]\n"
    "\n"
    "Draws one line per series: the median over all lines (seeds) at each x, with whiskers from\n"
    "the first to the third quartile. KEY is looked up as grid.KEY, then config.KEY, then as a\n"
    "dotted path; METRIC is a dotted path, e.g. phase1.min_cosine, spectral.min_cosine,\n"
    "phase1.per_direction.0, phase2.test_error, timings.total_s.\n"
    "\n"
    "options:\n"
    "  --group KEY[,KEY]  one series per distinct value (per combination) of these keys\n"
    "  --where KEY=VALUE  keep only lines where KEY has VALUE (repeatable)\n"
    "  --logx, --logy     logarithmic axes\n"
    "  --title TEXT, --xlabel TEXT, --ylabel TEXT\n"
    "  --out FIG.svg      default: FILE with .svg (never overwrites without --force)\n"
    "  --force            replace an existing --out file\n";

const Json* lookup(const Json& row, const std::string& key) {
  if (const Json* g = row.path("grid." + key)) return g;
  if (const Json* c = row.path("config." + key)) return c;
  return row.path(key);
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] + frac * (v[i + 1] - v[i]) : v[i];
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

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, sep)) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
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
  const std::string path = argv[2];
  Args args;
  if (int code = report(args.parse(argc, argv, 3,
                                   {"x", "y", "group", "where", "title", "xlabel", "ylabel", "out"},
                                   {"logx", "logy", "force", "help"}))) {
    return code;
  }
  if (int code = report(args.require("x"))) return code;
  if (int code = report(args.require("y"))) return code;
  std::string xkey, ytext, gtext, out;
  args.get_string("x", "", &xkey);
  args.get_string("y", "", &ytext);
  args.get_string("group", "", &gtext);
  const std::vector<std::string> metrics = split(ytext, ','), groups = split(gtext, ',');
  std::vector<std::pair<std::string, std::string>> filters;
  for (const std::string& w : args.all("where")) {
    const std::size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      return report(
          Status::error(Code::invalid_argument, "--where", "'%s' is not KEY=VALUE", w.c_str()));
    }
    filters.emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }

  // series name -> x -> samples
  std::map<std::string, std::map<double, std::vector<double>>> data;
  std::vector<std::string> order;
  std::size_t skipped = 0, duplicates = 0;
  std::set<std::string> seen_keys, sweeps;
  const Status read = for_each_line(
      path, "plot", [&](const std::string& line, std::size_t line_no, bool) -> Status {
        if (line.empty()) return Status();
        Json row;
        const Status st = Json::parse(line, &row);
        if (!st.ok()) {
          return Status::error(Code::parse_error, "plot", "%s:%zu: %s", path.c_str(), line_no,
                               st.message());
        }
        // A point twice (two writers, a file appended to twice) would count as two seeds.
        const Json* point_key = row.get("point_key");
        if (point_key != nullptr && !seen_keys.insert(point_key->text()).second) {
          ++duplicates;
          return Status();
        }
        if (const Json* id = row.path("sweep.id")) sweeps.insert(id->text());
        bool keep = true;
        for (const auto& f : filters) {
          const Json* v = lookup(row, f.first);
          keep = keep && v != nullptr && v->text() == f.second;
        }
        if (!keep) return Status();
        const Json* xv = lookup(row, xkey);
        if (xv == nullptr || !xv->is_number()) {
          ++skipped;
          return Status();
        }
        std::string group;
        for (const std::string& g : groups) {
          const Json* gv = lookup(row, g);
          group += (group.empty() ? "" : ", ") + g + " = " + (gv ? gv->text() : "?");
        }
        for (const std::string& m : metrics) {
          const Json* yv = row.path(m);
          if (yv == nullptr || !yv->is_number()) {
            ++skipped;
            continue;
          }
          std::string name = metrics.size() > 1 ? m : "";
          if (!group.empty()) name += (name.empty() ? "" : " | ") + group;
          if (name.empty()) name = m;
          if (data.find(name) == data.end()) order.push_back(name);
          data[name][xv->number()].push_back(yv->number());
        }
        return Status();
      });
  if (int code = report(read)) return code;
  if (duplicates > 0) {
    std::fprintf(stderr,
                 "mimkit plot: warning: %zu lines repeat a point already read (same point_key); "
                 "each point is drawn once\n",
                 duplicates);
  }
  if (sweeps.size() > 1) {
    std::fprintf(stderr,
                 "mimkit plot: warning: '%s' mixes %zu sweeps (different sweep ids); their points "
                 "are pooled as seeds\n",
                 path.c_str(), sweeps.size());
  }
  if (data.empty()) {
    return report(Status::error(Code::invalid_argument, "plot",
                                "no points: no line of '%s' has both --x %s and --y %s as numbers",
                                path.c_str(), xkey.c_str(), ytext.c_str()));
  }
  Chart chart;
  chart.logx = args.has("logx");
  chart.logy = args.has("logy");
  args.get_string("title", path, &chart.title);
  args.get_string("xlabel", xkey, &chart.xlabel);
  args.get_string("ylabel", ytext, &chart.ylabel);
  std::sort(order.begin(), order.end(), natural_less);
  for (const std::string& name : order) {
    ChartSeries s;
    s.name = name;
    for (const auto& xs : data[name]) {
      ChartPoint p;
      p.x = xs.first;
      p.median = quantile(xs.second, 0.5);
      p.q1 = quantile(xs.second, 0.25);
      p.q3 = quantile(xs.second, 0.75);
      p.count = xs.second.size();
      s.points.push_back(p);
    }
    chart.series.push_back(s);
  }
  if (skipped > 0) {
    std::fprintf(stderr, "mimkit plot: %zu values without a number for --x or --y were skipped\n",
                 skipped);
  }
  std::string default_out = path;
  const std::size_t dot = default_out.rfind('.');
  if (dot != std::string::npos && default_out.find('/', dot) == std::string::npos) {
    default_out.erase(dot);
  }
  args.get_string("out", default_out + ".svg", &out);
  if (out != "-" && same_file(out, path)) {
    return report(Status::error(Code::invalid_argument, "--out",
                                "'%s' is the input; write the figure to another file",
                                out.c_str()));
  }
  OutputFile output;
  if (int code = report(output.open(out, args.has("force")))) return code;
  std::FILE* f = output.file();
  const std::string svg = render_svg(chart);
  std::fwrite(svg.data(), 1, svg.size(), f);
  if (int code = report(output.commit())) return code;
  if (f != stdout) std::fprintf(stderr, "mimkit plot: wrote %s\n", out.c_str());
  return kExitOk;
}

}  // namespace cli
}  // namespace mimkit
