// mimkit plot: the statistics of each cell, the log-log fit, and the table output.
#include "plot_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mimkit {
namespace cli {

namespace {

double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(i);
  return i + 1 < sorted.size() ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

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

}  // namespace

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

}  // namespace cli
}  // namespace mimkit
