// mimkit plot: reading a sweep's JSONL and grouping its lines into series and cells.
#include "plot_data.hpp"

#include <cstring>

#include "common.hpp"
#include "json.hpp"
#include "text.hpp"

namespace mimkit {
namespace cli {

namespace {

// A --x, --group or --where KEY: grid.KEY, then config.KEY, then KEY as a dotted path.
const Json* lookup(const Json& row, const std::string& key) {
  if (const Json* g = row.path("grid." + key)) return g;
  if (const Json* c = row.path("config." + key)) return c;
  return row.path(key);
}

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

}  // namespace

// The shortest decimal that reads back as v.
std::string shortest(double v) {
  char buf[32];
  text::format_real(v, buf, sizeof buf);
  return buf;
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
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

}  // namespace cli
}  // namespace mimkit
