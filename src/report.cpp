#include "mimkit/report.hpp"

#include <algorithm>

#include "mimkit/digest.hpp"
#include "mimkit/version.hpp"
#include "text.hpp"

namespace mimkit {

namespace {

// ", \"name\": value" (or without the comma for the first member of an object).
void key(text::Writer& w, const char* name, double x, bool first = false) {
  w.put("%s\"%s\": ", first ? "" : ", ", name);
  w.number(x);
}

void array(text::Writer& w, const double* x, std::size_t n) {
  w.put("[");
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) w.put(", ");
    w.number(x[i]);
  }
  w.put("]");
}

void subspace(text::Writer& w, const SubspaceMetrics& s) {
  w.put("\"cosines\": ");
  array(w, s.cosines, s.r);
  w.put(", \"min_cosine\": ");
  w.number(s.min_cosine);
  w.put(", \"subspace_distance\": ");
  w.number(s.subspace_distance);
  w.put(", \"per_direction\": ");
  array(w, s.per_direction, s.r);
}

void counts(text::Writer& w, const std::size_t* x, std::size_t n) {
  w.put("[");
  for (std::size_t i = 0; i < n; ++i) w.put("%s%zu", i > 0 ? ", " : "", x[i]);
  w.put("]");
}

// The mechanism arrays of n directions and `singular` singular values.
void mechanism(text::Writer& w, const double* mass, const std::size_t* rank, const double* overlap,
               std::size_t n, const double* singular, std::size_t singular_count) {
  w.put(", \"mass\": ");
  array(w, mass, n);
  w.put(", \"rank\": ");
  counts(w, rank, n);
  w.put(", \"overlap\": ");
  array(w, overlap, n);
  w.put(", \"singular_values\": ");
  array(w, singular, singular_count);
}

}  // namespace

std::size_t report_json_capacity(const Report& report) noexcept {
  // Each number takes at most 26 characters with its separator; a trace point has at most 44.
  return 8192 + report.trace_count * 1200 + report.config.r * 300;
}

std::size_t report_json(const Report& rep, const char* dtype, char* out,
                        std::size_t capacity) noexcept {
  text::Writer w(out, capacity);
  char config[4096];
  to_json(rep.config, config, sizeof config);
  w.put(
      "{\"config\": %s, \"version\": \"%s\", \"commit\": \"%s\", \"isa\": \"%s\", "
      "\"dtype\": \"%s\", ",
      config, version(), git_commit(), isa_name(rep.isa), dtype);
  w.put("\"threads\": %zu, \"footprint_bytes\": %zu, ", rep.threads, rep.footprint_bytes);
  if (rep.custom_activation || rep.custom_loss) {
    w.put("\"custom\": {\"activation\": %s, \"loss\": %s}, ",
          rep.custom_activation ? "true" : "false", rep.custom_loss ? "true" : "false");
  }
  w.put("\"timings\": {");
  key(w, "phase1_s", rep.timings.phase1_s, true);
  key(w, "phase1_step_s", rep.timings.phase1_step_s);
  key(w, "spectral_s", rep.timings.spectral_s);
  key(w, "phase2_s", rep.timings.phase2_s);
  key(w, "total_s", rep.timings.total_s);
  w.put("}, \"phase1\": {");
  key(w, "alignment", rep.phase1.alignment, true);
  w.put(", ");
  subspace(w, rep.phase1.subspace);
  const WeightMechanism& mech = rep.phase1.mechanism;
  mechanism(w, mech.mass, mech.rank, mech.overlap, mech.r, mech.singular_values,
            mech.singular_count);
  key(w, "train_loss", rep.phase1.train_loss);
  w.put("}, \"phase2\": {");
  key(w, "test_error", rep.phase2.test_error, true);
  key(w, "validation_error", rep.phase2.validation_error);
  key(w, "train_loss", rep.phase2.train_loss);
  w.put("}");
  if (rep.spectral.ran) {
    w.put(", \"spectral\": {");
    subspace(w, rep.spectral.subspace);
    w.put(", \"eigenvalues\": ");
    array(w, rep.spectral.eigenvalues, rep.config.r);
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
      const std::size_t dirs = std::min(mech.r, TracePoint::kDirections);
      const std::size_t sv = std::min(mech.singular_count, TracePoint::kDirections + 2);
      mechanism(w, t.mass, t.rank, t.overlap, dirs, t.singular_values, sv);
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
