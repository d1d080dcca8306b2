#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mimkit {
namespace cli {

namespace {

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                "#E69F00", "#56B4E9", "#000000", "#F0E442"};
const char* const kDash[] = {"", "6,4", "2,3", "8,3,2,3"};

constexpr double kPlotWidth = 680, kHeight = 560;
constexpr double kLeft = 80, kTop = 50, kBottom = 70;

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

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
};

// Data range, padded, and for linear axes extended to include nice round ends.
void range(const Chart& c, bool is_x, bool log, double* lo, double* hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) {
      const double vals[] = {p.x, p.q1, p.q3, p.median};
      for (int i = is_x ? 0 : 1; i < (is_x ? 1 : 4); ++i) {
        if (log && !(vals[i] > 0)) continue;
        *lo = std::min(*lo, vals[i]);
        *hi = std::max(*hi, vals[i]);
      }
    }
  }
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
  // The legend sits right of the plot; its width follows the longest name (~7.5 px a character).
  std::size_t longest = 28;
  for (const ChartSeries& se : c.series) longest = std::max(longest, se.name.size());
  const double kRight = 60 + 7.5 * static_cast<double>(longest);
  const double kWidth = kLeft + kPlotWidth + kRight;
  double xlo, xhi, ylo, yhi;
  range(c, true, c.logx, &xlo, &xhi);
  range(c, false, c.logy, &ylo, &yhi);
  const Axis x{xlo, xhi, c.logx, kLeft, kWidth - kRight};
  const Axis y{ylo, yhi, c.logy, kHeight - kBottom, kTop};
  std::string s;
  s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::string w = fmt("%.0f", kWidth);
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w +
       "\" height=\"560\" viewBox=\"0 0 " + w +
       " 560\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n";
  s += "<rect width=\"" + w + "\" height=\"560\" fill=\"white\"/>\n";
  s += "<text x=\"" + fmt("%.1f", (kLeft + kWidth - kRight) / 2) +
       "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
       escape(c.title) + "</text>\n";
  // Grid and ticks.
  s += "<g class=\"axes\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
  const auto xt = ticks(xlo, xhi, c.logx), yt = ticks(ylo, yhi, c.logy);
  for (double v : xt) {
    const double px = x.map(v);
    s += "<line x1=\"" + fmt("%.1f", px) + "\" y1=\"" + fmt("%.1f", kTop) + "\" x2=\"" +
         fmt("%.1f", px) + "\" y2=\"" + fmt("%.1f", kHeight - kBottom) + "\"/>\n";
  }
  for (double v : yt) {
    const double py = y.map(v);
    s += "<line x1=\"" + fmt("%.1f", kLeft) + "\" y1=\"" + fmt("%.1f", py) + "\" x2=\"" +
         fmt("%.1f", kWidth - kRight) + "\" y2=\"" + fmt("%.1f", py) + "\"/>\n";
  }
  s += "</g>\n";
  s += "<rect x=\"" + fmt("%.1f", kLeft) + "\" y=\"" + fmt("%.1f", kTop) + "\" width=\"" +
       fmt("%.1f", kWidth - kRight - kLeft) + "\" height=\"" +
       fmt("%.1f", kHeight - kBottom - kTop) + "\" fill=\"none\" stroke=\"#333333\"/>\n";
  s += "<g class=\"xticks\" text-anchor=\"middle\">\n";
  for (double v : xt) {
    s += "<text x=\"" + fmt("%.1f", x.map(v)) + "\" y=\"" + fmt("%.1f", kHeight - kBottom + 18) +
         "\" data-value=\"" + fmt("%.17g", v) + "\">" + tick_label(v, c.logx) + "</text>\n";
  }
  s += "</g>\n<g class=\"yticks\" text-anchor=\"end\">\n";
  for (double v : yt) {
    s += "<text x=\"" + fmt("%.1f", kLeft - 6) + "\" y=\"" + fmt("%.1f", y.map(v) + 4) +
         "\" data-value=\"" + fmt("%.17g", v) + "\">" + tick_label(v, c.logy) + "</text>\n";
  }
  s += "</g>\n";
  s += "<text x=\"" + fmt("%.1f", (kLeft + kWidth - kRight) / 2) + "\" y=\"" +
       fmt("%.1f", kHeight - 22) + "\" text-anchor=\"middle\">" + escape(c.xlabel) + "</text>\n";
  s += "<text transform=\"translate(22," + fmt("%.1f", (kTop + kHeight - kBottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape(c.ylabel) + "</text>\n";
  // Series: whiskers, line, markers.
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const ChartSeries& se = c.series[i];
    const std::string colour = kPalette[i % 8];
    const std::string dash = kDash[(i / 8) % 4];
    s += "<g class=\"series\" data-series=\"" + escape(se.name) + "\" stroke=\"" + colour +
         "\" fill=\"" + colour + "\">\n";
    std::string pts;
    for (const ChartPoint& p : se.points) {
      if ((c.logx && !(p.x > 0)) || (c.logy && !(p.median > 0))) continue;
      pts += fmt("%.2f", x.map(p.x)) + "," + fmt("%.2f", y.map(p.median)) + " ";
    }
    s += "<polyline fill=\"none\" stroke-width=\"2\"" +
         (dash.empty() ? std::string() : " stroke-dasharray=\"" + dash + "\"") + " points=\"" +
         pts + "\"/>\n";
    for (const ChartPoint& p : se.points) {
      if ((c.logx && !(p.x > 0)) || (c.logy && !(p.median > 0))) continue;
      const double px = x.map(p.x), pm = y.map(p.median);
      const double p1 = c.logy && !(p.q1 > 0) ? pm : y.map(p.q1);
      const double p3 = c.logy && !(p.q3 > 0) ? pm : y.map(p.q3);
      s += "<line stroke-width=\"1.5\" x1=\"" + fmt("%.2f", px) + "\" y1=\"" + fmt("%.2f", p1) +
           "\" x2=\"" + fmt("%.2f", px) + "\" y2=\"" + fmt("%.2f", p3) + "\"/>\n";
      s += "<circle class=\"point\" r=\"3.5\" cx=\"" + fmt("%.2f", px) + "\" cy=\"" +
           fmt("%.2f", pm) + "\" data-series=\"" + escape(se.name) + "\" data-x=\"" +
           fmt("%.17g", p.x) + "\" data-median=\"" + fmt("%.17g", p.median) + "\" data-q1=\"" +
           fmt("%.17g", p.q1) + "\" data-q3=\"" + fmt("%.17g", p.q3) + "\" data-count=\"" +
           fmt("%.0f", static_cast<double>(p.count)) + "\"/>\n";
    }
    s += "</g>\n";
  }
  // Legend, right of the plot area.
  s += "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const double ly = kTop + 10 + 22 * static_cast<double>(i);
    const double lx = kWidth - kRight + 16;
    const std::string colour = kPalette[i % 8];
    const std::string dash = kDash[(i / 8) % 4];
    s += "<line x1=\"" + fmt("%.1f", lx) + "\" y1=\"" + fmt("%.1f", ly) + "\" x2=\"" +
         fmt("%.1f", lx + 28) + "\" y2=\"" + fmt("%.1f", ly) + "\" stroke=\"" + colour +
         "\" stroke-width=\"2\"" +
         (dash.empty() ? std::string() : " stroke-dasharray=\"" + dash + "\"") + "/>\n";
    s += "<circle cx=\"" + fmt("%.1f", lx + 14) + "\" cy=\"" + fmt("%.1f", ly) +
         "\" r=\"3.5\" fill=\"" + colour + "\"/>\n";
    s += "<text class=\"legend-entry\" x=\"" + fmt("%.1f", lx + 36) + "\" y=\"" +
         fmt("%.1f", ly + 4) + "\">" + escape(c.series[i].name) + "</text>\n";
  }
  s += "</g>\n";
  s += "<text x=\"" + fmt("%.1f", kWidth - kRight + 16) + "\" y=\"" + fmt("%.1f", kHeight - 22) +
       "\" font-size=\"11\" fill=\"#555555\">median, whiskers: quartiles</text>\n";
  s += "</svg>\n";
  return s;
}

}  // namespace cli
}  // namespace mimkit
