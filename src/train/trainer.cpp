// Trainer<T>: plan, init (carve, model, datasets, threads), train (the phase order), access to
// the network and the phase-1 objective. The public face of src/train/.
#include <cmath>
#include <new>

#include "mimkit/train.hpp"
#include "train/network.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {

namespace {

using train::State;

// Bytes of the model and the datasets the configuration reads.
template <class T>
std::size_t data_bytes(const RunConfig& c, const train::VariantPlan& variant, std::size_t threads) {
  const ModelConfig mc = model_config(c);
  std::size_t bytes = Model<T>::plan(mc);
  train::DatasetUse uses[train::kMaxDatasets];
  const std::size_t count = train::datasets_used(c, variant, uses);
  for (std::size_t i = 0; i < count; ++i) {
    bytes += DataSet<T>::plan(mc, uses[i].rows, uses[i].mode, threads);
  }
  return bytes;
}

template <class T>
State<T>* state_of(void* p) {
  return static_cast<State<T>*>(p);
}

}  // namespace

template <class T>
std::size_t Trainer<T>::plan(const RunConfig& config, std::size_t threads) noexcept {
  RunConfig c = config;
  resolve(&c);
  if (!validate(c).ok() || threads < 1 || threads > ThreadPool::kMaxThreads) return 0;
  Arena measure = Arena::measure();
  void* state = nullptr;
  measure.allocate_bytes(sizeof(State<T>), &state, "state");
  State<T> sizes;
  train::set_sizes(sizes, c, threads);
  if (!train::carve(sizes, measure).ok()) return 0;
  return measure.used() + data_bytes<T>(c, sizes.variant, threads);
}

template <class T>
Trainer<T>::~Trainer() {
  if (state_ != nullptr) state_of<T>(state_)->~State<T>();
}

template <class T>
Status Trainer<T>::init(const RunConfig& config, const Execution& execution, Arena& arena,
                        const CustomFunctions* custom) noexcept {
  if (state_ != nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "init() was already called");
  }
  RunConfig c = config;
  resolve(&c);
  MIMKIT_TRY(validate(c));
  if (execution.threads < 1 || execution.threads > ThreadPool::kMaxThreads) {
    return Status::error(Code::invalid_argument, "threads",
                         "threads = %zu is out of range (allowed: 1..%zu)", execution.threads,
                         ThreadPool::kMaxThreads);
  }
  if (!isa_compiled(execution.isa)) {
    return Status::error(Code::unsupported_isa, "isa", "'%s' is not compiled into this build",
                         isa_name(execution.isa));
  }
  const std::size_t need = plan(c, execution.threads);
  if (arena.capacity() - arena.used() < need) {
    return Status::error(Code::arena_too_small, "arena",
                         "the run needs %zu bytes (plan()) but the arena has %zu free", need,
                         arena.capacity() - arena.used());
  }
  void* mem = nullptr;
  MIMKIT_TRY(arena.allocate_bytes(sizeof(State<T>), &mem, "state"));
  State<T>& s = *new (mem) State<T>();
  state_ = mem;
  train::set_sizes(s, c, execution.threads);
  s.execution = execution;
  if (custom != nullptr) s.custom = *custom;
  s.loss = train::make_loss(c, custom);
  s.kernels = kernels::table<T>(execution.isa);
  s.kernels64 = kernels::table<double>(execution.isa);
  MIMKIT_TRY(Link::parse(c.link, c.r, &s.link));
  const ModelConfig mc = model_config(c);
  MIMKIT_TRY(s.model.init(mc, s.link, execution.isa, arena));
  train::DatasetUse uses[train::kMaxDatasets];
  const std::size_t count = train::datasets_used(c, s.variant, uses);
  for (std::size_t i = 0; i < count; ++i) {
    MIMKIT_TRY(
        s.data(uses[i].dataset)
            .init(s.model, uses[i].dataset, uses[i].rows, uses[i].mode, arena, s.dims.workers));
  }
  MIMKIT_TRY(train::carve(s, arena));
  const std::size_t rd = s.dims.r * s.dims.d;
  for (std::size_t i = 0; i < rd; ++i) s.metrics.U[i] = static_cast<double>(s.model.subspace()[i]);
  train::initialise_network(s);
  MIMKIT_TRY(s.pool.start(s.dims.workers));
  return Status();
}

template <class T>
TwoLayerNet<T> Trainer<T>::network() const noexcept {
  TwoLayerNet<T> net;
  if (state_ == nullptr) return net;
  const State<T>& s = *state_of<T>(state_);
  net.m = s.dims.m;
  net.d = s.dims.d;
  net.ldw = s.dims.ldx;
  net.W = s.net.W;
  net.b = s.net.b;
  net.a = s.net.a;
  return net;
}

template <class T>
Status Trainer<T>::set_network(const T* W, std::size_t ldw, const T* b, const T* a) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "call init() before set_network()");
  }
  State<T>& s = *state_of<T>(state_);
  const train::Dims& n = s.dims;
  if (ldw < n.d) {
    return Status::error(Code::invalid_argument, "ldw", "ldw = %zu must be >= d = %zu", ldw, n.d);
  }
  for (std::size_t i = 0; i < n.m; ++i) {
    for (std::size_t j = 0; j < n.d; ++j) s.net.W[i * n.ldx + j] = W[i * ldw + j];
    s.net.b[i] = b[i];
    s.net.a[i] = a[i];
  }
  train::pack_a(s);
  return Status();
}

template <class T>
Status Trainer<T>::phase1_objective(double* loss, T* G, std::size_t ldg) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer",
                         "call init() before phase1_objective()");
  }
  State<T>& s = *state_of<T>(state_);
  const train::Dims& n = s.dims;
  if (G != nullptr && ldg < n.d) {
    return Status::error(Code::invalid_argument, "ldg", "ldg = %zu must be >= d = %zu", ldg, n.d);
  }
  MIMKIT_TRY(train::phase1_objective(s, G != nullptr, loss));
  if (G != nullptr) {
    for (std::size_t i = 0; i < n.m; ++i) {
      for (std::size_t j = 0; j < n.d; ++j) {
        G[i * ldg + j] = train::sum_shards<T>(s.shards.grad, n.shards, n.m * n.ldx, i * n.ldx + j);
      }
    }
  }
  return Status();
}

template <class T>
Status Trainer<T>::train(Report* rep) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "call init() before train()");
  }
  State<T>& s = *state_of<T>(state_);
  train::Clock clock;
  clock.run_start = platform::now_seconds();
  rep->config = s.config;
  rep->custom_activation = s.custom.activation != nullptr;
  rep->custom_loss = s.custom.loss != nullptr;
  rep->isa = s.execution.isa;
  rep->threads = s.dims.workers;
  rep->footprint_bytes = plan(s.config, s.dims.workers);
  MIMKIT_TRY(train::phase1(s, rep, clock));
  if (s.config.spectral) MIMKIT_TRY(train::spectral(s, rep, clock));
  MIMKIT_TRY(train::phase2(s, rep, clock));
  MIMKIT_TRY(train::evaluate(s, rep));
  rep->timings.phase2_s = clock.since_phase();
  rep->weights_digest = train::weights_digest(s);
  rep->timings.total_s = platform::now_seconds() - clock.run_start;
  return Status();
}

template <class T>
Status run(const RunConfig& config, const Execution& execution, Arena& arena, Report* report,
           const CustomFunctions* custom) noexcept {
  Trainer<T> trainer;
  MIMKIT_TRY(trainer.init(config, execution, arena, custom));
  return trainer.train(report);
}

template class Trainer<float>;
template class Trainer<double>;
template Status run<float>(const RunConfig&, const Execution&, Arena&, Report*,
                           const CustomFunctions*) noexcept;
template Status run<double>(const RunConfig&, const Execution&, Arena&, Report*,
                            const CustomFunctions*) noexcept;

}  // namespace mimkit
