#include "sweep_grid.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

#include "args.hpp"
#include "json.hpp"
#include "mimkit/digest.hpp"

namespace mimkit {
namespace cli {

namespace {

std::string format_number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 * (1 + std::fabs(v)) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

std::string json_value(const std::string& v) {
  double x = 0;
  if (parse_f64(v, &x)) return v;
  if (v == "true" || v == "false") return v;
  return json_quote(v);
}

}  // namespace

bool parse_range(const std::string& spec, Range* out) {
  std::vector<std::string> parts;
  std::stringstream ss(spec);
  std::string part;
  while (std::getline(ss, part, ':')) parts.push_back(part);
  Range r;
  r.log = parts.size() == 4 && parts[3] == "log";
  if ((parts.size() != 3 && !r.log) || !parse_f64(parts[0], &r.lo) || !parse_f64(parts[1], &r.hi) ||
      !parse_u64(parts[2], &r.count) || r.count < 1 || r.count > 10000 ||
      (r.log && (r.lo <= 0 || r.hi <= 0))) {
    return false;
  }
  *out = r;
  return true;
}

std::vector<double> Range::values() const {
  std::vector<double> out;
  for (std::uint64_t i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
    out.push_back(log ? lo * std::pow(hi / lo, t) : lo + (hi - lo) * t);
  }
  return out;
}

// "key=v1,v2" | "key=lo:hi:count" | "key=lo:hi:count:log".
Status parse_axis(const std::string& text, Axis* out) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 >= text.size()) {
    return Status::error(Code::invalid_argument, "--grid",
                         "'%s' is not key=v1,v2,... or key=lo:hi:count[:log]", text.c_str());
  }
  out->key = text.substr(0, eq);
  const std::string spec = text.substr(eq + 1);
  if (spec.find(':') != std::string::npos) {
    Range range;
    if (!parse_range(spec, &range)) {
      return Status::error(Code::invalid_argument, "--grid",
                           "'%s': a range is lo:hi:count or lo:hi:count:log with count in "
                           "1..10000 (and lo, hi > 0 for log)",
                           text.c_str());
    }
    for (double v : range.values()) out->values.push_back(format_number(v));
  } else {
    std::stringstream ss(spec);
    std::string v;
    while (std::getline(ss, v, ',')) {
      if (v.empty()) {
        return Status::error(Code::invalid_argument, "--grid", "'%s' has an empty value",
                             text.c_str());
      }
      out->values.push_back(v);
    }
  }
  return check_axis(out);
}

Status check_axis(Axis* axis) {
  RunConfig probe;
  // Check the key and values now, not after hours of sweeping; integer keys take rounded values.
  for (std::string& v : axis->values) {
    Status st = set(&probe, axis->key.c_str(), v.c_str());
    double x = 0;
    if (!st.ok() && parse_f64(v, &x)) {
      const std::string rounded = format_number(std::round(x));
      if (set(&probe, axis->key.c_str(), rounded.c_str()).ok()) {
        v = rounded;
        st = Status();
      }
    }
    if (!st.ok()) return Status::error(st.code(), "--grid", "%s: %s", st.field(), st.message());
  }
  return Status();
}

// Two axes on one key, or one value twice, would give points with the same configuration.
Status check_axes(const std::vector<Axis>& axes) {
  for (std::size_t a = 0; a < axes.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (axes[a].key == axes[b].key) {
        return Status::error(Code::invalid_argument, "--grid", "key '%s' has two axes",
                             axes[a].key.c_str());
      }
    }
    std::set<std::string> seen;
    for (const std::string& v : axes[a].values) {
      if (!seen.insert(v).second) {
        return Status::error(Code::invalid_argument, "--grid", "%s = %s appears twice",
                             axes[a].key.c_str(), v.c_str());
      }
    }
  }
  return Status();
}

Status parse_grid_text(const std::string& text, std::vector<Axis>* axes) {
  std::stringstream ss(text);
  std::string axis;
  while (std::getline(ss, axis, ';')) {
    if (axis.empty()) continue;
    axes->emplace_back();
    MIMKIT_TRY(parse_axis(axis, &axes->back()));
  }
  return Status();
}

Status count_points(const std::vector<Axis>& axes, std::uint64_t seeds, std::size_t* total) {
  std::string sizes = std::to_string(seeds) + " seeds";
  std::uint64_t n = seeds;
  bool over = n > kMaxPoints;
  for (const Axis& a : axes) {
    sizes += " x " + std::to_string(a.values.size()) + " " + a.key;
    // n <= kMaxPoints here, so n * size cannot overflow unless size is huge: compare by division.
    if (!over && a.values.size() > 0 && n > kMaxPoints / a.values.size()) over = true;
    if (!over) n *= a.values.size();
  }
  if (over) {
    return Status::error(Code::invalid_argument, "--grid",
                         "%s is more than %llu points (allowed: at most %llu)", sizes.c_str(),
                         static_cast<unsigned long long>(kMaxPoints),
                         static_cast<unsigned long long>(kMaxPoints));
  }
  *total = static_cast<std::size_t>(n);
  return Status();
}

Status enumerate(const RunConfig& base, const std::vector<Axis>& axes, std::uint64_t seeds,
                 std::vector<Point>* points) {
  std::size_t total = 0;
  MIMKIT_TRY(count_points(axes, seeds, &total));
  for (std::size_t p = 0; p < total; ++p) {
    Point pt;
    pt.index = p;
    pt.config = base;
    std::size_t rest = p / seeds;
    const std::uint64_t s = p % seeds;
    std::string grid = "{";
    std::vector<std::size_t> idx(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
      idx[a] = rest % axes[a].values.size();
      rest /= axes[a].values.size();
    }
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const std::string& v = axes[a].values[idx[a]];
      MIMKIT_TRY(set(&pt.config, axes[a].key.c_str(), v.c_str()));
      grid += (a ? ", \"" : "\"") + axes[a].key + "\": " + json_value(v);
    }
    pt.config.seed = base.seed + s;
    grid += std::string(axes.empty() ? "" : ", ") + "\"seed\": " + std::to_string(pt.config.seed);
    pt.grid_json = grid + "}";
    resolve(&pt.config);
    const Status st = validate(pt.config);
    if (!st.ok()) {
      return Status::error(st.code(), st.field(), "point %zu %s: %s", p, pt.grid_json.c_str(),
                           st.message());
    }
    char cfg[4096];
    to_json(pt.config, cfg, sizeof cfg);
    Digest d;
    d.update(cfg, std::strlen(cfg));
    char hex[17];
    d.hex(hex);
    pt.key = hex;
    points->push_back(pt);
  }
  return Status();
}

}  // namespace cli
}  // namespace mimkit
