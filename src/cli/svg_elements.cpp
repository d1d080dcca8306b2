#include "svg_elements.hpp"

#include <cmath>
#include <cstdio>

#include "text.hpp"

namespace mimkit {
namespace cli {
namespace svg {

namespace {

const char* const kPalette[kColours] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                        "#E69F00", "#56B4E9", "#000000", "#F0E442"};
const char* const kDash[kStyles] = {"", "7,4", "2,3", "9,3,2,3", "14,4", "4,2,1,2"};

}  // namespace

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

std::string exact(double v) {
  char buf[32];
  text::format_real(v, buf, sizeof buf);
  return buf;
}

std::string count(std::size_t n) {
  return std::to_string(n);
}

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + value + "\"";
}

std::string colour_of(std::size_t i) {
  return kPalette[i % kColours];
}

std::string dash_attr(std::size_t style) {
  const char* dash = kDash[style % kStyles];
  return dash[0] == '\0' ? std::string() : attr("stroke-dasharray", dash);
}

std::string line(double x1, double y1, double x2, double y2) {
  return "<line" + attr("x1", fmt("%.1f", x1)) + attr("y1", fmt("%.1f", y1)) +
         attr("x2", fmt("%.1f", x2)) + attr("y2", fmt("%.1f", y2)) + "/>\n";
}

std::string text(double x, double y, const std::string& body, const std::string& attrs) {
  return "<text" + attr("x", fmt("%.1f", x)) + attr("y", fmt("%.1f", y)) + attrs + ">" +
         escape(body) + "</text>\n";
}

std::string polyline(const std::string& points, const std::string& attrs) {
  return "<polyline fill=\"none\"" + attrs + attr("points", points) + "/>\n";
}

std::string marker(std::size_t style, double cx, double cy, double r, const std::string& attrs,
                   const std::string& title) {
  auto finish = [&](const char* tag) {
    return title.empty() ? std::string("/>\n")
                         : "><title>" + escape(title) + "</title></" + tag + ">\n";
  };
  if (style % kStyles == 0) {
    return "<circle" + attr("cx", fmt("%.2f", cx)) + attr("cy", fmt("%.2f", cy)) +
           attr("r", fmt("%.2f", r)) + attrs + finish("circle");
  }
  // Polygons with about the circle's area.
  static const int kSides[kStyles] = {0, 4, 3, 4, 3, 6};
  static const double kTurn[kStyles] = {0, 0.25, -0.5, 0, 0.5, 0};  // of pi: which way it points
  const std::size_t k = style % kStyles;
  const double pi = 3.14159265358979323846;
  const double rr = r * (kSides[k] == 3 ? 1.45 : kSides[k] == 4 ? 1.25 : 1.1);
  std::string d;
  for (int i = 0; i < kSides[k]; ++i) {
    const double a = kTurn[k] * pi + 2 * pi * i / kSides[k];
    d += (i == 0 ? "M" : "L") + fmt("%.2f", cx + rr * std::cos(a)) + "," +
         fmt("%.2f", cy + rr * std::sin(a));
  }
  return "<path" + attr("d", d + "Z") + attrs + finish("path");
}

}  // namespace svg
}  // namespace cli
}  // namespace mimkit
