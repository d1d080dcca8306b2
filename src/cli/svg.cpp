// The chart: its layout, axes and ticks, each series' marks, the success panel and the legend
// (the SVG elements and styles: svg_elements.hpp).
#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "svg_elements.hpp"

namespace mimkit {
namespace cli {

namespace {

using namespace svg;

constexpr double kPlotWidth = 680, kLeft = 80, kTop = 50, kBottom = 70;
constexpr double kMainHeight = 440;   // the main panel
constexpr double kPanelGap = 30;      // room for the success panel's caption
constexpr double kPanelHeight = 120;  // the success panel

std::string tick_label(double v, bool log) {
  if (log && (v >= 1e5 || v < 1e-3)) return fmt("%.0e", v);
  return fmt("%g", v);
}

struct Axis {
  double lo, hi;
  bool log;
  double a, b;  // pixel range
  double map(double v) const {
    const double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                         : (v - lo) / (hi - lo);
    return a + t * (b - a);
  }
  // Values a log axis cannot place are not drawn.
  bool shows(double v) const { return std::isfinite(v) && (!log || v > 0); }
};

// Extends [lo, hi] by v (skipping what a log axis cannot show).
void include(double v, bool log, double* lo, double* hi) {
  if (!std::isfinite(v) || (log && !(v > 0))) return;
  *lo = std::min(*lo, v);
  *hi = std::max(*hi, v);
}

double fit_at(const ChartFit& f, double x) {
  return std::pow(10.0, f.intercept + f.slope * std::log10(x));
}

// Data range, padded: log axes to quarter decades, linear ones by 5%.
void pad_range(bool log, double* lo, double* hi) {
  if (!std::isfinite(*lo)) {
    *lo = log ? 1 : 0;
    *hi = log ? 10 : 1;
  }
  if (*lo == *hi) {
    *lo = log ? *lo / 2 : *lo - 0.5;
    *hi = log ? *hi * 2 : *hi + 0.5;
  }
  if (log) {
    *lo = std::pow(10, std::floor(std::log10(*lo) * 4) / 4);
    *hi = std::pow(10, std::ceil(std::log10(*hi) * 4) / 4);
  } else {
    const double pad = 0.05 * (*hi - *lo);
    *lo -= pad;
    *hi += pad;
  }
}

// The padded data range, widened so that `margin` pixels fit beyond each end: the seed dots and
// success markers of several series sit side by side around each x.
void x_range(const Chart& c, double margin, double* lo, double* hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) include(p.x, c.logx, lo, hi);
  }
  for (const ChartVline& v : c.vlines) include(v.x, c.logx, lo, hi);
  pad_range(c.logx, lo, hi);
  const double t = margin / (kPlotWidth - 2 * margin);
  if (c.logx) {
    const double a = std::log10(*lo), b = std::log10(*hi);
    *lo = std::pow(10, a - (b - a) * t);
    *hi = std::pow(10, b + (b - a) * t);
  } else {
    const double w = (*hi - *lo) * t;
    *lo -= w;
    *hi += w;
  }
}

void y_range(const Chart& c, double* lo, double* hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) {
      for (double v : {p.median, p.q1, p.q3, p.min, p.max}) include(v, c.logy, lo, hi);
    }
    for (const ChartRun& r : s.runs) {
      for (const auto& xy : r.points) include(xy.second, c.logy, lo, hi);
    }
    if (s.fit.ok) {
      include(fit_at(s.fit, s.fit.xlo), c.logy, lo, hi);
      include(fit_at(s.fit, s.fit.xhi), c.logy, lo, hi);
    }
  }
  pad_range(c.logy, lo, hi);
}

// Horizontal offset (px) of series s of n, so seeds and success markers of different series
// at one x sit side by side; and the half-width of one series' spread of seed dots.
double spread_half(std::size_t n) {
  return n <= 1 ? 7.0 : std::min(5.0, 24.0 / static_cast<double>(n));
}
double dodge(std::size_t s, std::size_t n) {
  return n <= 1 ? 0.0
                : (static_cast<double>(s) - (static_cast<double>(n) - 1) / 2) *
                      (2 * spread_half(n) + 2);
}
// The i-th of k seeds: evenly spread, so the jitter is the same on every run of the command.
double jitter(std::size_t i, std::size_t k, std::size_t n) {
  if (k <= 1) return 0;
  return spread_half(n) * (2 * (static_cast<double>(i) + 0.5) / static_cast<double>(k) - 1);
}

struct LegendEntry {
  std::string text;
  std::string colour;
  long style;  // dash and marker; -1: a plain line
  bool fit;    // a fitted reference line
};

std::vector<LegendEntry> legend_entries(const Chart& c) {
  std::vector<LegendEntry> out;
  if (!c.style_names.empty()) {
    for (std::size_t i = 0; i < c.colour_names.size(); ++i) {
      out.push_back({c.colour_names[i], colour_of(i), -1, false});
    }
    for (std::size_t j = 0; j < c.style_names.size(); ++j) {
      out.push_back({c.style_names[j], kGrey, static_cast<long>(j), false});
    }
  } else {
    for (const ChartSeries& s : c.series) {
      out.push_back({s.name, colour_of(s.colour), static_cast<long>(s.style), false});
    }
  }
  for (const ChartSeries& s : c.series) {
    if (!s.fit.ok) continue;
    std::string text = "fit";
    if (c.series.size() > 1) text += " (" + s.name + ")";
    text += ": slope " + fmt("%.2f", s.fit.slope);
    if (std::isfinite(s.fit.slope_se)) text += " \xC2\xB1 " + fmt("%.2f", s.fit.slope_se);
    out.push_back({text, colour_of(s.colour), -1, true});
  }
  return out;
}

// Grid lines and the frame of a panel spanning [top, bottom].
std::string panel(const Axis& x, const Axis& y, const std::vector<double>& xt,
                  const std::vector<double>& yt, double top, double bottom) {
  std::string s = "<g class=\"axes\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
  for (double v : xt) s += line(x.map(v), top, x.map(v), bottom);
  for (double v : yt) s += line(x.a, y.map(v), x.b, y.map(v));
  s += "</g>\n";
  s += "<rect" + attr("x", fmt("%.1f", x.a)) + attr("y", fmt("%.1f", top)) +
       attr("width", fmt("%.1f", x.b - x.a)) + attr("height", fmt("%.1f", bottom - top)) +
       " fill=\"none\" stroke=\"#333333\"/>\n";
  s += "<g class=\"yticks\" text-anchor=\"end\">\n";
  for (double v : yt) {
    s += text(x.a - 6, y.map(v) + 4, tick_label(v, y.log), attr("data-value", exact(v)));
  }
  s += "</g>\n";
  return s;
}

std::string point_title(const ChartSeries& se, const ChartPoint& p, const std::string& xlabel) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s = %g: median %.4g (quartiles %.4g to %.4g, range %.4g to %.4g), %zu %s",
                xlabel.c_str(), p.x, p.median, p.q1, p.q3, p.min, p.max, p.count,
                p.count == 1 ? "value" : "values");
  return se.name + ", " + buf;
}

// Seed dots, median line, whiskers and markers of one series (not a trace).
std::string draw_points(const Chart& c, const ChartSeries& se, std::size_t index, const Axis& x,
                        const Axis& y) {
  std::string s, pts;
  const std::string name = escape(se.name);
  for (const ChartPoint& p : se.points) {
    if (!x.shows(p.x)) continue;
    const double px = x.map(p.x);
    for (std::size_t i = 0; i < p.values.size(); ++i) {
      if (!y.shows(p.values[i])) continue;
      const double dx = dodge(index, c.series.size()) + jitter(i, p.values.size(), c.series.size());
      const std::string seed = p.seeds[i];
      s += marker(se.style, px + dx, y.map(p.values[i]), 2.2,
                  attr("class", "seed") + attr("data-series", name) + attr("data-x", exact(p.x)) +
                      attr("data-y", exact(p.values[i])) + attr("data-seed", escape(seed)),
                  (seed.empty() ? std::string("a seed") : "seed " + seed) + ": " +
                      fmt("%.4g", p.values[i]));
    }
    if (y.shows(p.median)) pts += fmt("%.2f", px) + "," + fmt("%.2f", y.map(p.median)) + " ";
  }
  s += polyline(pts, attr("class", "median") + attr("stroke-width", "2") + dash_attr(se.style));
  for (const ChartPoint& p : se.points) {
    if (!x.shows(p.x) || !y.shows(p.median)) continue;
    const double px = x.map(p.x), pm = y.map(p.median);
    const double p1 = y.shows(p.q1) ? y.map(p.q1) : pm;
    const double p3 = y.shows(p.q3) ? y.map(p.q3) : pm;
    s += "<line class=\"whisker\" stroke-width=\"1.5\"" + attr("x1", fmt("%.2f", px)) +
         attr("y1", fmt("%.2f", p1)) + attr("x2", fmt("%.2f", px)) + attr("y2", fmt("%.2f", p3)) +
         "/>\n";
  }
  return s;
}

// Every run as a thin line, the median as a thick one.
std::string draw_runs(const ChartSeries& se, const Axis& x, const Axis& y) {
  std::string s;
  const std::string name = escape(se.name);
  for (const ChartRun& r : se.runs) {
    std::string pts, xs, ys;
    for (const auto& xy : r.points) {
      if (!x.shows(xy.first) || !y.shows(xy.second)) continue;
      pts += fmt("%.2f", x.map(xy.first)) + "," + fmt("%.2f", y.map(xy.second)) + " ";
      xs += (xs.empty() ? "" : " ") + exact(xy.first);
      ys += (ys.empty() ? "" : " ") + exact(xy.second);
    }
    s += polyline(pts, attr("class", "run") + attr("stroke-width", "0.8") +
                           attr("stroke-opacity", "0.35") + dash_attr(se.style) +
                           attr("data-series", name) + attr("data-seed", escape(r.seed)) +
                           attr("data-x", xs) + attr("data-y", ys));
  }
  std::string pts;
  for (const ChartPoint& p : se.points) {
    if (x.shows(p.x) && y.shows(p.median)) {
      pts += fmt("%.2f", x.map(p.x)) + "," + fmt("%.2f", y.map(p.median)) + " ";
    }
  }
  s += polyline(pts, attr("class", "median") + attr("stroke-width", "2.5") + dash_attr(se.style));
  return s;
}

// A trace's markers shrink with its length; past 40 steps they would hide the line and are
// kept for their attributes only (radius 0 draws nothing).
double point_radius(const Chart& c, const ChartSeries& se, double r) {
  if (!c.trace) return r;
  return se.points.size() > 40 ? 0 : 1.5;
}

}  // namespace

std::vector<double> ticks(double lo, double hi, bool log) {
  std::vector<double> out;
  if (log) {
    const double decades = std::log10(hi) - std::log10(lo);
    const double mults[] = {1, 2, 5};
    const int nm = decades < 3 ? 3 : 1;
    for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); e += 1) {
      for (int i = 0; i < nm; ++i) {
        const double v = mults[i] * std::pow(10, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push_back(v);
      }
    }
    return out;
  }
  const double raw = (hi - lo) / 6;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
    out.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
  }
  return out;
}

std::string render_svg(const Chart& c) {
  const std::vector<LegendEntry> legend = legend_entries(c);
  const std::size_t diverged = c.diverged;
  const std::string diverged_note = diverged == 0 ? ""
                                                  : "\xC3\x97 " + count(diverged) +
                                                        (diverged == 1 ? " run" : " runs") +
                                                        " diverged (no value)";
  const char* const note1 =
      c.trace ? "thick: median over runs" : "line: median, whisker: quartiles";
  const char* const note2 = c.trace ? "thin: one line per run" : "dots: one per seed";
  // The legend sits right of the plot; its width follows the longest text (~7.5 px a character).
  std::size_t longest = 32;
  for (const LegendEntry& e : legend) longest = std::max(longest, e.text.size());
  longest = std::max(longest, diverged_note.size());
  const double kRight = 60 + 7.5 * static_cast<double>(longest);
  const double kWidth = kLeft + kPlotWidth + kRight;
  const double main_bottom = kTop + kMainHeight;
  const bool panel2 = !c.success.empty();
  const double panel_top = main_bottom + kPanelGap, panel_bottom = panel_top + kPanelHeight;
  const double lowest = panel2 ? panel_bottom : main_bottom;
  const double height = lowest + kBottom;
  double xlo, xhi, ylo, yhi;
  const std::size_t n = c.series.size();
  x_range(c, c.trace ? 0 : std::fabs(dodge(0, n)) + spread_half(n) + 4, &xlo, &xhi);
  y_range(c, &ylo, &yhi);
  const Axis x{xlo, xhi, c.logx, kLeft, kLeft + kPlotWidth};
  const Axis y{ylo, yhi, c.logy, main_bottom, kTop};
  const Axis ys{-0.08, 1.08, false, panel_bottom, panel_top};
  const std::string w = fmt("%.0f", kWidth), h = fmt("%.0f", height);
  const double mid = kLeft + kPlotWidth / 2;
  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\"" + attr("width", w) + attr("height", h) +
       attr("viewBox", "0 0 " + w + " " + h) +
       " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n";
  s += "<rect" + attr("width", w) + attr("height", h) + " fill=\"white\"/>\n";
  s += text(mid, 28, c.title, " text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\"");
  const auto xt = ticks(xlo, xhi, c.logx);
  s += panel(x, y, xt, ticks(ylo, yhi, c.logy), kTop, main_bottom);
  if (panel2) {
    s += panel(x, ys, xt, {0, 0.5, 1}, panel_top, panel_bottom);
    s += text(kLeft, panel_top - 8, "share of seeds with " + c.success,
              " class=\"panel-caption\" font-size=\"12\"");
    s += "<text transform=\"translate(22," + fmt("%.1f", (panel_top + panel_bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">success</text>\n";
  }
  s += "<g class=\"xticks\" text-anchor=\"middle\">\n";
  for (double v : xt) {
    s += text(x.map(v), lowest + 18, tick_label(v, c.logx), attr("data-value", exact(v)));
  }
  s += "</g>\n";
  s += text(mid, height - 22, c.xlabel, " text-anchor=\"middle\"");
  s += "<text transform=\"translate(22," + fmt("%.1f", (kTop + main_bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape(c.ylabel) + "</text>\n";
  // Reference lines under the data, labelled at the top (staggered so that close ones stay
  // readable).
  for (std::size_t k = 0; k < c.vlines.size(); ++k) {
    const ChartVline& v = c.vlines[k];
    if (!x.shows(v.x)) continue;
    const std::string px = fmt("%.2f", x.map(v.x));
    s += "<line class=\"vline\"" + attr("x1", px) + attr("x2", px) + attr("y1", fmt("%.1f", kTop)) +
         attr("y2", fmt("%.1f", lowest)) + attr("stroke", kGrey) + attr("stroke-width", "1") +
         attr("stroke-dasharray", "6,4") + attr("data-x", exact(v.x)) +
         attr("data-label", escape(v.label)) + "/>\n";
    s += text(x.map(v.x) + 3, kTop + 12 + 14 * static_cast<double>(k % 3), v.label,
              " class=\"vline-label\" font-size=\"11\" fill=\"" + std::string(kGrey) + "\"");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const ChartSeries& se = c.series[i];
    const std::string colour = colour_of(se.colour), name = escape(se.name);
    s += "<g class=\"series\"" + attr("data-series", name) + attr("stroke", colour) +
         attr("fill", colour) + ">\n";
    s += c.trace ? draw_runs(se, x, y) : draw_points(c, se, i, x, y);
    for (const ChartPoint& p : se.points) {
      if (!x.shows(p.x) || !y.shows(p.median)) continue;
      s += marker(se.style, x.map(p.x), y.map(p.median), point_radius(c, se, 3.5),
                  attr("class", "point") + attr("data-series", name) + attr("data-x", exact(p.x)) +
                      attr("data-median", exact(p.median)) + attr("data-q1", exact(p.q1)) +
                      attr("data-q3", exact(p.q3)) + attr("data-min", exact(p.min)) +
                      attr("data-max", exact(p.max)) + attr("data-count", count(p.count)),
                  point_title(se, p, c.xlabel));
    }
    if (se.fit.ok) {
      std::string pts;
      for (int k = 0; k <= 40; ++k) {
        const double lx =
            std::log10(se.fit.xlo) + (std::log10(se.fit.xhi) - std::log10(se.fit.xlo)) * k / 40.0;
        const double fx = std::pow(10.0, lx), fy = fit_at(se.fit, fx);
        if (x.shows(fx) && y.shows(fy)) {
          pts += fmt("%.2f", x.map(fx)) + "," + fmt("%.2f", y.map(fy)) + " ";
        }
      }
      s += polyline(
          pts, attr("class", "fit") + attr("stroke-width", "1.2") +
                   attr("stroke-dasharray", "3,3") + attr("data-slope", exact(se.fit.slope)) +
                   attr("data-intercept", exact(se.fit.intercept)) +
                   attr("data-slope-se", exact(se.fit.slope_se)) + attr("data-n", count(se.fit.n)));
    }
    // Diverged runs: an x at the top of the panel, one row per series.
    const double my = kTop + 8 + 8 * static_cast<double>(i % 5);
    for (const ChartPoint& p : se.points) {
      if (p.diverged == 0 || !x.shows(p.x)) continue;
      const double mx = x.map(p.x) + dodge(i, n);
      s += "<path class=\"diverged\" fill=\"none\" stroke-width=\"2\"" +
           attr("d", "M" + fmt("%.2f", mx - 4) + "," + fmt("%.2f", my - 4) + "L" +
                         fmt("%.2f", mx + 4) + "," + fmt("%.2f", my + 4) + "M" +
                         fmt("%.2f", mx - 4) + "," + fmt("%.2f", my + 4) + "L" +
                         fmt("%.2f", mx + 4) + "," + fmt("%.2f", my - 4)) +
           attr("data-series", name) + attr("data-x", exact(p.x)) +
           attr("data-count", count(p.diverged)) + "><title>" +
           escape(se.name + ", " + c.xlabel + " = " + fmt("%g", p.x) + ": " + count(p.diverged) +
                  (p.diverged == 1 ? " run" : " runs") + " diverged") +
           "</title></path>\n";
    }
    s += "</g>\n";
  }
  if (panel2) {
    for (std::size_t i = 0; i < n; ++i) {
      const ChartSeries& se = c.series[i];
      const std::string name = escape(se.name);
      s += "<g class=\"success-series\"" + attr("data-series", name) +
           attr("stroke", colour_of(se.colour)) + attr("fill", colour_of(se.colour)) + ">\n";
      std::string pts, marks;
      for (const ChartPoint& p : se.points) {
        if (p.tried == 0 || !x.shows(p.x)) continue;
        const double share = static_cast<double>(p.successes) / static_cast<double>(p.tried);
        const double px = x.map(p.x) + (c.trace ? 0 : dodge(i, n)), py = ys.map(share);
        pts += fmt("%.2f", px) + "," + fmt("%.2f", py) + " ";
        marks +=
            marker(se.style, px, py, point_radius(c, se, 3),
                   attr("class", "success") + attr("data-series", name) +
                       attr("data-x", exact(p.x)) + attr("data-success", exact(share)) +
                       attr("data-k", count(p.successes)) + attr("data-count", count(p.tried)),
                   se.name + ", " + c.xlabel + " = " + fmt("%g", p.x) + ": " + count(p.successes) +
                       " of " + count(p.tried) + " seeds with " + c.success);
      }
      s += polyline(pts, attr("stroke-width", "1") + dash_attr(se.style));
      s += marks + "</g>\n";
    }
  }
  // Legend, right of the plot area.
  s += "<g class=\"legend\">\n";
  const double lx = kLeft + kPlotWidth + 16;
  double ly = kTop + 10;
  for (const LegendEntry& e : legend) {
    const std::string style = e.fit          ? attr("stroke-dasharray", "3,3")
                              : e.style >= 0 ? dash_attr(static_cast<std::size_t>(e.style))
                                             : std::string();
    s += "<line" + attr("x1", fmt("%.1f", lx)) + attr("y1", fmt("%.1f", ly)) +
         attr("x2", fmt("%.1f", lx + 28)) + attr("y2", fmt("%.1f", ly)) + attr("stroke", e.colour) +
         attr("stroke-width", e.fit ? "1.2" : "2") + style + "/>\n";
    if (e.style >= 0) {
      s += marker(static_cast<std::size_t>(e.style), lx + 14, ly, 3.5, attr("fill", e.colour), "");
    }
    s += text(lx + 36, ly + 4, e.text, attr("class", e.fit ? "legend-fit" : "legend-entry"));
    ly += 22;
  }
  if (!diverged_note.empty()) {
    s += text(lx, ly + 4, diverged_note,
              " class=\"note\" data-diverged=\"" + count(diverged) + "\" fill=\"" +
                  std::string(kGrey) + "\"");
  }
  s += "</g>\n";
  s += text(lx, height - 36, note1, " class=\"note\" font-size=\"11\" fill=\"#555555\"");
  s += text(lx, height - 22, note2, " class=\"note\" font-size=\"11\" fill=\"#555555\"");
  s += "</svg>\n";
  return s;
}

}  // namespace cli
}  // namespace mimkit
