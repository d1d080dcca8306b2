#include "mimkit/report.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "mimkit/digest.hpp"
#include "mimkit/version.hpp"

namespace mimkit {

namespace {

// Appends formatted text, tracking the length the full output needs.
class Writer {
 public:
  Writer(char* out, std::size_t capacity) : out_(out), capacity_(capacity) {
    if (capacity_ > 0) out_[0] = '\0';
  }
  void put(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    std::va_list args;
    va_start(args, format);
    const std::size_t room = used_ < capacity_ ? capacity_ - used_ : 0;
    const int n = std::vsnprintf(room > 0 ? out_ + used_ : nullptr, room, format, args);
    va_end(args);
    if (n > 0) used_ += static_cast<std::size_t>(n);
  }
  void number(double x) {
    if (std::isfinite(x)) {
      put("%.17g", x);
    } else {
      put("null");
    }
  }
  // ", \"name\": value" (or without the comma for the first member of an object).
  void key(const char* name, double x, bool first = false) {
    put("%s\"%s\": ", first ? "" : ", ", name);
    number(x);
  }
  void array(const double* x, std::size_t n) {
    put("[");
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) put(", ");
      number(x[i]);
    }
    put("]");
  }
  void subspace(const SubspaceMetrics& s) {
    put("\"cosines\": ");
    array(s.cosines, s.r);
    put(", \"min_cosine\": ");
    number(s.min_cosine);
    put(", \"subspace_distance\": ");
    number(s.subspace_distance);
    put(", \"per_direction\": ");
    array(s.per_direction, s.r);
  }
  std::size_t used() const { return used_; }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t used_ = 0;
};

}  // namespace

std::size_t report_json_capacity(const Report& report) noexcept {
  return 8192 + report.trace_count * 160 + report.config.r * 120;
}

std::size_t report_json(const Report& rep, const char* dtype, char* out,
                        std::size_t capacity) noexcept {
  Writer w(out, capacity);
  char config[4096];
  to_json(rep.config, config, sizeof config);
  w.put("{\"config\": %s, \"version\": \"%s\", \"isa\": \"%s\", \"dtype\": \"%s\", ", config,
        version(), isa_name(rep.isa), dtype);
  w.put("\"threads\": %zu, \"footprint_bytes\": %zu, ", rep.threads, rep.footprint_bytes);
  if (rep.custom_activation || rep.custom_loss) {
    w.put("\"custom\": {\"activation\": %s, \"loss\": %s}, ",
          rep.custom_activation ? "true" : "false", rep.custom_loss ? "true" : "false");
  }
  w.put("\"timings\": {");
  w.key("phase1_s", rep.timings.phase1_s, true);
  w.key("phase1_step_s", rep.timings.phase1_step_s);
  w.key("spectral_s", rep.timings.spectral_s);
  w.key("phase2_s", rep.timings.phase2_s);
  w.key("total_s", rep.timings.total_s);
  w.put("}, \"phase1\": {");
  w.key("alignment", rep.phase1.alignment, true);
  w.put(", ");
  w.subspace(rep.phase1.subspace);
  w.key("train_loss", rep.phase1.train_loss);
  w.put("}, \"phase2\": {");
  w.key("test_error", rep.phase2.test_error, true);
  w.key("train_loss", rep.phase2.train_loss);
  w.put("}");
  if (rep.spectral.ran) {
    w.put(", \"spectral\": {");
    w.subspace(rep.spectral.subspace);
    w.put(", \"eigenvalues\": ");
    w.array(rep.spectral.eigenvalues, rep.config.r);
    w.put("}");
  }
  if (rep.trace_count > 0) {
    w.put(", \"trace\": [");
    for (std::size_t i = 0; i < rep.trace_count; ++i) {
      const TracePoint& t = rep.trace[i];
      w.put("%s{\"step\": %zu, \"train_loss\": ", i > 0 ? ", " : "", t.step);
      w.number(t.train_loss);
      w.put(", \"alignment\": ");
      w.number(t.alignment);
      w.put(", \"min_cosine\": ");
      w.number(t.min_cosine);
      w.put("}");
    }
    w.put("]");
  }
  char hex[17];
  Digest::to_hex(rep.weights_digest, hex);
  w.put(", \"weights_digest\": \"%s\"}", hex);
  return w.used();
}

}  // namespace mimkit
