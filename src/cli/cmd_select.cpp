// mimkit select: hyper-parameters chosen on validation data, per seed. Groups a sweep's lines
// by every grid key except the chosen ones and keeps, per group, the line with the best
// validation value, annotated with what was chosen among how many candidates.
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"
#include "text.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kSelectHelp[] =
    "usage: mimkit select FILE.jsonl --over KEY[,KEY...] --by METRIC [--max] [--out FILE]\n"
    "\n"
    "Chooses hyper-parameters on validation data, separately for every seed. The lines of\n"
    "FILE (a sweep's results) are grouped by every grid key except the --over keys, so each\n"
    "seed (and each value of the other axes) is a group of its own: every seed chooses with\n"
    "its own validation data. Per group the line with the smallest METRIC (with --max, the\n"
    "largest) is written, with an added member\n"
    "  \"selected\": {\"by\": METRIC, \"value\": V, \"over\": {KEY: chosen value, ...},\n"
    "               \"candidates\": K, \"unscored\": J}\n"
    "where K counts the group's lines and J those without a number for METRIC (runs that\n"
    "diverged): they are never selected. A group none of whose lines has a value is written as\n"
    "its first line with \"value\": null and \"over\": null, so a plot of the output still counts\n"
    "that seed as diverged. Ties go to the line that comes first in FILE. Groups are written in\n"
    "the order of their first line.\n"
    "\n"
    "METRIC must not be measured on test data: a path containing \"test\" is refused, because\n"
    "choosing on the test set is what the selection protocol forbids; select on\n"
    "phase2.validation_error and report phase2.test_error of the selected lines.\n"
    "\n"
    "options:\n"
    "  --over KEY[,KEY]  the grid keys chosen (e.g. T1, or T1,m); not seed\n"
    "  --by METRIC       dotted path of the value compared, e.g. phase2.validation_error\n"
    "  --max             keep the largest value instead of the smallest\n"
    "  --out FILE        default: stdout; never one of the inputs\n"
    "  --force           replace an existing --out file\n"
    "\n"
    "example:\n"
    "  mimkit select e5.jsonl --over T1 --by phase2.validation_error --out e5-selected.jsonl\n"
    "  mimkit plot e5-selected.jsonl --x alpha --y phase2.test_error --group variant --logx\n";

bool mentions_test(const std::string& path) {
  std::string lower;
  for (char c : path)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower.find("test") != std::string::npos;
}

struct Group {
  std::size_t candidates = 0, unscored = 0;
  bool scored = false;
  double value = 0;
  std::string line;  // the best line so far (or the first, while none has a value)
  std::string over;  // its --over values as a JSON object
};

struct Selection {
  std::vector<std::string> over;
  std::string by;
  bool max = false;
  std::map<std::string, Group> groups;
  std::vector<std::string> order;  // group keys by first line
  std::size_t duplicates = 0, candidates = 0, unscored = 0;
  std::set<std::string> sweeps;
};

// The line of a group, as read: its group key and its --over values.
Status place(const Json& row, const std::string& where, const Selection& s, std::string* key,
             std::string* over) {
  const Json* grid = row.get("grid");
  if (grid == nullptr || grid->type() != Json::Type::object) {
    return Status::error(Code::invalid_argument, "select",
                         "%s has no grid object (not a line of mimkit sweep)", where.c_str());
  }
  if (row.get("selected") != nullptr) {
    return Status::error(Code::invalid_argument, "select",
                         "%s is already selected (output of mimkit select); select from the "
                         "sweep's own file",
                         where.c_str());
  }
  std::string keys;
  for (const auto& m : grid->members()) {
    keys += (keys.empty() ? "" : ", ") + m.first;
    bool chosen = false;
    for (const std::string& o : s.over) chosen = chosen || o == m.first;
    if (!chosen) *key += json_quote(m.first) + ":" + m.second.json() + ",";
  }
  *over = "{";
  for (const std::string& o : s.over) {
    const Json* v = grid->get(o);
    if (v == nullptr) {
      return Status::error(Code::invalid_argument, "--over",
                           "%s: the grid has no key '%s' (its keys: %s)", where.c_str(), o.c_str(),
                           keys.c_str());
    }
    *over += (over->size() > 1 ? ", " : "") + json_quote(o) + ": " + v->json();
  }
  *over += "}";
  return Status();
}

Status read(const std::string& path, Selection* s) {
  std::set<std::string> seen_keys;
  return for_each_line(
      path, "select", [&](const std::string& line, std::size_t number, bool) -> Status {
        if (line.empty()) return Status();
        const std::string where = path + ":" + std::to_string(number);
        Json row;
        const Status st = Json::parse(line, &row);
        if (!st.ok()) {
          return Status::error(Code::parse_error, "select", "%s: %s", where.c_str(), st.message());
        }
        if (row.type() != Json::Type::object) {
          return Status::error(Code::parse_error, "select", "%s is not a JSON object",
                               where.c_str());
        }
        const Json* point_key = row.get("point_key");
        if (point_key != nullptr && !seen_keys.insert(point_key->text()).second) {
          ++s->duplicates;
          return Status();
        }
        if (const Json* id = row.path("sweep.id")) s->sweeps.insert(id->text());
        std::string key, over;
        MIMKIT_TRY(place(row, where, *s, &key, &over));
        auto found = s->groups.find(key);
        if (found == s->groups.end()) {
          s->order.push_back(key);
          found = s->groups.emplace(key, Group()).first;
        }
        Group& g = found->second;
        ++g.candidates;
        ++s->candidates;
        const Json* v = row.path(s->by);
        if (v == nullptr || !v->is_number()) {
          ++g.unscored;
          ++s->unscored;
          if (g.line.empty()) g.line = line;
          return Status();
        }
        const double value = v->number();
        if (!g.scored || (s->max ? value > g.value : value < g.value)) {
          g.scored = true;
          g.value = value;
          g.line = line;
          g.over = over;
        }
        return Status();
      });
}

// The line with "selected" added as its last member.
std::string annotate(const Selection& s, const Group& g) {
  std::string line = g.line;
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  line.pop_back();  // the object's closing brace (place() checked it is an object)
  char value[32] = "null";
  if (g.scored) text::format_real(g.value, value, sizeof value);
  const bool empty = line.find_first_not_of(" \t{") == std::string::npos;
  return line + (empty ? "" : ", ") + "\"selected\": {\"by\": " + json_quote(s.by) +
         ", \"value\": " + value + ", \"over\": " + (g.scored ? g.over : "null") +
         ", \"candidates\": " + std::to_string(g.candidates) +
         ", \"unscored\": " + std::to_string(g.unscored) + "}}\n";
}

}  // namespace

int cmd_select(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[2], "--help") == 0) {
    std::fputs(kSelectHelp, stdout);
    return kExitOk;
  }
  if (argc < 3 || std::strncmp(argv[2], "--", 2) == 0) {
    return report(Status::error(Code::invalid_argument, "select",
                                "needs a FILE.jsonl first (see mimkit select --help)"));
  }
  const std::string path = argv[2];
  Args args;
  if (int code = report(args.parse(argc, argv, 3, {"over", "by", "out"}, {"max", "force", "help"})))
    return code;
  if (int code = report(args.require("over"))) return code;
  if (int code = report(args.require("by"))) return code;
  Selection s;
  std::string over_text, out;
  args.get_string("over", "", &over_text);
  args.get_string("by", "", &s.by);
  args.get_string("out", "-", &out);
  s.over = split_list(over_text, ',');
  s.max = args.has("max");
  if (mentions_test(s.by)) {
    return report(Status::error(Code::invalid_argument, "--by",
                                "'%s' is measured on test data: choosing on test is what the "
                                "protocol forbids (select on phase2.validation_error)",
                                s.by.c_str()));
  }
  for (const std::string& o : s.over) {
    if (o == "seed") {
      return report(Status::error(Code::invalid_argument, "--over",
                                  "'seed' would keep each group's luckiest seed; seeds are "
                                  "repetitions, not a hyper-parameter"));
    }
  }
  if (s.over.empty()) {
    return report(
        Status::error(Code::invalid_argument, "--over", "names no key (e.g. --over T1,m)"));
  }
  if (out != "-" && same_file(out, path)) {
    return report(Status::error(Code::invalid_argument, "--out",
                                "'%s' is the input; write the selection to another file",
                                out.c_str()));
  }
  if (int code = report(check_output(out, args.has("force")))) return code;
  if (int code = report(read(path, &s))) return code;
  if (s.groups.empty()) {
    return report(
        Status::error(Code::invalid_argument, "select", "'%s' has no lines", path.c_str()));
  }
  if (s.unscored == s.candidates) {
    return report(Status::error(Code::invalid_argument, "--by",
                                "no line of '%s' has a number at '%s'", path.c_str(),
                                s.by.c_str()));
  }
  if (s.duplicates > 0) {
    std::fprintf(stderr,
                 "mimkit select: warning: %zu lines repeat a point already read (same "
                 "point_key); each point is a candidate once\n",
                 s.duplicates);
  }
  if (s.sweeps.size() > 1) {
    std::fprintf(stderr,
                 "mimkit select: warning: '%s' mixes %zu sweeps (different sweep ids); lines "
                 "with the same grid values compete\n",
                 path.c_str(), s.sweeps.size());
  }
  std::string body;
  std::size_t fewest = ~std::size_t(0), most = 0, unselected = 0;
  for (const std::string& key : s.order) {
    const Group& g = s.groups[key];
    fewest = std::min(fewest, g.candidates);
    most = std::max(most, g.candidates);
    if (!g.scored) ++unselected;
    body += annotate(s, g);
  }
  OutputFile output;
  if (int code = report(output.open(out, args.has("force")))) return code;
  std::fwrite(body.data(), 1, body.size(), output.file());
  if (int code = report(output.commit())) return code;
  std::fprintf(stderr, "mimkit select: %zu groups of %zu", s.order.size(), fewest);
  if (most != fewest) std::fprintf(stderr, " to %zu", most);
  std::fprintf(stderr, " candidates; %zu without a number at %s (never selected)", s.unscored,
               s.by.c_str());
  if (unselected > 0) std::fprintf(stderr, " (%zu groups had none with it)", unselected);
  std::fprintf(stderr, "; wrote %s\n", out == "-" ? "stdout" : out.c_str());
  if (most <= 1) {
    std::fprintf(stderr,
                 "mimkit select: warning: every group has one line: --over %s chose nothing\n",
                 over_text.c_str());
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mimkit
