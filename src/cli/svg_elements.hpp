// The SVG vocabulary of mimkit plot's figures: escaping, attributes, numbers as text, the
// elements (line, text, polyline, marker) and the styles (palette, dash patterns, marker
// shapes). CLI only.
#pragma once

#include <cstddef>
#include <string>

namespace mimkit {
namespace cli {
namespace svg {

/// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
constexpr std::size_t kColours = 8;
/// Line styles: a dash pattern and a marker shape each.
constexpr std::size_t kStyles = 6;
/// Text and marks that belong to no series.
constexpr char kGrey[] = "#555555";

/// &, <, >, " as entities.
std::string escape(const std::string& text);
/// One number through a printf format.
std::string fmt(const char* format, double v);
/// A value for an attribute: all 17 significant digits, so it reads back exactly.
std::string exact(double v);
std::string count(std::size_t n);
/// ` name="value"` (value not escaped).
std::string attr(const char* name, const std::string& value);

/// Palette colour i (mod kColours).
std::string colour_of(std::size_t i);
/// The stroke-dasharray attribute of a style ("" for the solid one).
std::string dash_attr(std::size_t style);

std::string line(double x1, double y1, double x2, double y2);
/// `body` escaped; `attrs` as given.
std::string text(double x, double y, const std::string& body, const std::string& attrs = "");
std::string polyline(const std::string& points, const std::string& attrs);
/// A marker of the style's shape (circle, square, triangle, diamond, ..., about the same area)
/// centred on (cx, cy) with "radius" r; `attrs` and the tooltip `title` are added to it.
std::string marker(std::size_t style, double cx, double cy, double r, const std::string& attrs,
                   const std::string& title);

}  // namespace svg
}  // namespace cli
}  // namespace mimkit
