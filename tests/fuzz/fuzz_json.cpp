// libFuzzer target: the JSONL reader of plot/merge/resume never crashes, and what it accepts
// prints back (text()) as JSON it accepts again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mimkit::cli::Json j;
  if (!mimkit::cli::Json::parse(text, &j).ok()) return 0;
  j.path("phase1.cosines.0");
  j.path("grid.alpha");
  if (j.type() == mimkit::cli::Json::Type::object || j.type() == mimkit::cli::Json::Type::array) {
    mimkit::cli::Json again;
    if (!mimkit::cli::Json::parse(j.text(), &again).ok()) std::abort();
  }
  return 0;
}
