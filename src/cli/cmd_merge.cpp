// mimkit merge: combines sweep shard files into one, checking that together they are one whole
// sweep: every line from the same sweep, no point missing, none twice, and each point index
// always with the same point key and each key with the same index.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"
#include "results.hpp"
#include "sweep_grid.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kMergeHelp[] =
    "usage: mimkit merge SHARD.jsonl ... [--out FILE] [--force]\n"
    "\n"
    "Combines the shard files of one sweep. Fails, naming the line, when a line is from\n"
    "another sweep (and the key that differs), when a point is missing or appears twice, or\n"
    "when a point index and its point key disagree between files.\n"
    "\n"
    "options:\n"
    "  --out FILE   the merged JSONL (default stdout; never one of the inputs)\n"
    "  --force      replace an existing --out file\n";

// The checks of one sweep's lines across files.
struct Merge {
  std::vector<std::string> lines;
  std::map<std::size_t, std::string> key_of;    // point index -> point key
  std::map<std::string, std::size_t> index_of;  // point key -> point index
  std::map<std::size_t, std::string> where_of;  // point index -> file:line
  Json first;
  std::string first_where;
  long long total = -1;

  Status add(const std::string& text, const std::string& where) {
    Json j;
    Status st = Json::parse(text, &j);
    if (!st.ok()) {
      return Status::error(Code::parse_error, "merge", "%s: %s", where.c_str(), st.message());
    }
    const Json* key = j.get("point_key");
    const Json* point = j.get("point");
    const Json* points = j.get("points");
    if (key == nullptr || point == nullptr || points == nullptr ||
        key->type() != Json::Type::string || !point->is_number() || !points->is_number()) {
      return Status::error(Code::parse_error, "merge",
                           "%s: not a sweep line (no point_key, point or points)", where.c_str());
    }
    const double p = point->number(), n = points->number();
    if (!(n >= 1 && n <= static_cast<double>(kMaxPoints) && p >= 0 && p < n && p == std::floor(p) &&
          n == std::floor(n))) {
      return Status::error(Code::parse_error, "merge",
                           "%s: point %s of points %s is not an index 0 <= point < points <= 1e6",
                           where.c_str(), point->text().c_str(), points->text().c_str());
    }
    if (total < 0) {
      first = j;
      first_where = where;
      total = static_cast<long long>(n);
    } else {
      MIMKIT_TRY(check_same_sweep(first, first_where, j, where, "merge"));
      if (static_cast<long long>(n) != total) {
        return Status::error(Code::invalid_argument, "merge",
                             "%s: from a sweep of %s points, %s has %lld", where.c_str(),
                             points->text().c_str(), first_where.c_str(), total);
      }
    }
    const std::size_t index = static_cast<std::size_t>(p);
    const auto by_index = key_of.find(index);
    if (by_index != key_of.end()) {
      if (by_index->second == key->string()) {
        return Status::error(Code::invalid_argument, "merge",
                             "%s: point %zu appears twice (also %s)", where.c_str(), index,
                             where_of[index].c_str());
      }
      return Status::error(Code::invalid_argument, "merge",
                           "%s: point %zu has key %s here and %s in %s", where.c_str(), index,
                           key->string().c_str(), by_index->second.c_str(),
                           where_of[index].c_str());
    }
    const auto by_key = index_of.find(key->string());
    if (by_key != index_of.end()) {
      return Status::error(Code::invalid_argument, "merge",
                           "%s: point key %s is point %zu here and point %zu in %s", where.c_str(),
                           key->string().c_str(), index, by_key->second,
                           where_of[by_key->second].c_str());
    }
    key_of[index] = key->string();
    index_of[key->string()] = index;
    where_of[index] = where;
    lines.push_back(text);
    return Status();
  }
};

}  // namespace

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
    std::fputs(kMergeHelp, stdout);
    return kExitOk;
  }
  if (inputs.empty()) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "needs at least one SHARD.jsonl (usage: mimkit merge SHARD.jsonl "
                                "... [--out FILE])"));
  }
  std::string out_path;
  args.get_string("out", "", &out_path);
  for (const std::string& path : inputs) {
    if (!out_path.empty() && out_path != "-" && same_file(path, out_path)) {
      return report(Status::error(Code::invalid_argument, "--out",
                                  "'%s' is also an input; write the merge to another file",
                                  out_path.c_str()));
    }
  }
  if (int code = report(check_output(out_path, args.has("force")))) return code;
  Merge merge;
  for (const std::string& path : inputs) {
    const Status st =
        for_each_line(path, "merge", [&](const std::string& text, std::size_t number, bool) {
          if (text.empty()) return Status();
          return merge.add(text, path + " line " + std::to_string(number));
        });
    if (int code = report(st)) return code;
  }
  std::string missing;
  std::size_t n_missing = 0;
  for (long long i = 0; i < merge.total; ++i) {
    if (merge.key_of.count(static_cast<std::size_t>(i)) == 0) {
      if (n_missing++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    }
  }
  if (n_missing > 0) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "%zu of %lld points are missing (e.g. %s)", n_missing, merge.total,
                                missing.c_str()));
  }
  OutputFile output;
  if (int code = report(output.open(out_path, args.has("force")))) return code;
  std::FILE* out = output.file();
  for (const std::string& l : merge.lines) std::fprintf(out, "%s\n", l.c_str());
  return report(output.commit());
}

}  // namespace cli
}  // namespace mimkit
