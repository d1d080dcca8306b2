// mimkit merge: combines sweep shard files into one, checking that together they are one
// whole sweep (no point missing, none twice).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"

namespace mimkit {
namespace cli {

int cmd_merge(int argc, char** argv) {
  Args args;
  std::vector<std::string> inputs;
  int first_option = argc;
  for (int i = 2; i < argc; ++i) {
    if (std::strncmp(argv[i], "--", 2) == 0) {
      first_option = i;
      break;
    }
    inputs.push_back(argv[i]);
  }
  if (int code = report(args.parse(argc, argv, first_option, {"out"}, {"help", "force"}))) {
    return code;
  }
  if (args.has("help")) {
    std::fputs(
        "usage: mimkit merge SHARD.jsonl ... [--out FILE] [--force]\n"
        "Combines sweep shard files; fails on duplicate or missing points.\n",
        stdout);
    return kExitOk;
  }
  if (inputs.empty()) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "needs at least one SHARD.jsonl (usage: mimkit merge SHARD.jsonl "
                                "... [--out FILE])"));
  }
  std::vector<std::string> lines;
  std::set<std::string> keys;
  std::set<std::size_t> indices;
  long long total = -1;
  for (const std::string& path : inputs) {
    std::string all;
    if (int code = report(read_text_file(path, "merge", &all))) return code;
    std::size_t line_no = 0;
    for (const std::string& line : split_lines(all)) {
      ++line_no;
      if (line.empty()) continue;
      Json j;
      Status st = Json::parse(line, &j);
      const Json* key = j.get("point_key");
      const Json* point = j.get("point");
      const Json* points = j.get("points");
      if (st.ok() &&
          (key == nullptr || point == nullptr || points == nullptr ||
           key->type() != Json::Type::string || !point->is_number() || !points->is_number())) {
        st = Status::error(Code::parse_error, "json",
                           "not a sweep line (no point_key, point or points)");
      }
      // Sweeps have at most 1e6 points (enumerate()); anything else is not one of ours.
      if (st.ok() &&
          !(points->number() >= 1 && points->number() <= 1e6 && point->number() >= 0 &&
            point->number() < points->number() && point->number() == std::floor(point->number()) &&
            points->number() == std::floor(points->number()))) {
        st = Status::error(Code::parse_error, "json",
                           "point %s of points %s is not an index 0 <= point < points <= 1e6",
                           point->text().c_str(), points->text().c_str());
      }
      if (!st.ok()) {
        return report(
            Status::error(Code::parse_error, path.c_str(), "line %zu: %s", line_no, st.message()));
      }
      if (!keys.insert(key->string()).second) {
        return report(Status::error(Code::invalid_argument, path.c_str(),
                                    "line %zu: point %s appears twice", line_no,
                                    point->text().c_str()));
      }
      if (total >= 0 && static_cast<long long>(points->number()) != total) {
        return report(Status::error(Code::invalid_argument, path.c_str(),
                                    "line %zu: from a sweep of %s points, others have %lld",
                                    line_no, points->text().c_str(), total));
      }
      total = static_cast<long long>(points->number());
      indices.insert(static_cast<std::size_t>(point->number()));
      lines.push_back(line);
    }
  }
  std::string missing;
  std::size_t n_missing = 0;
  for (long long i = 0; i < total; ++i) {
    if (indices.count(static_cast<std::size_t>(i)) == 0) {
      if (n_missing++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    }
  }
  if (n_missing > 0) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "%zu of %lld points are missing (e.g. %s)", n_missing, total,
                                missing.c_str()));
  }
  std::string out_path;
  args.get_string("out", "", &out_path);
  std::FILE* out = nullptr;
  if (int code = report(open_output(out_path, args.has("force"), &out))) return code;
  for (const std::string& l : lines) std::fprintf(out, "%s\n", l.c_str());
  return report(close_output(out, out_path));
}

}  // namespace cli
}  // namespace mimkit
