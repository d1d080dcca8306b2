// Trainer<T>: plan, init (carve, model, datasets, threads), train (the phase order), access to
// the network and the phase-1 objective. The public face of src/train/.
#include <cmath>
#include <new>

#include "mimkit/train.hpp"
#include "platform/format.hpp"
#include "train/divergence.hpp"
#include "train/network.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {

namespace {

using train::State;

// Adds `more` to *total, or fails naming `what` when the sum leaves the address space.
Status add_bytes(std::size_t* total, std::size_t more, const char* what) {
  if (more > ~std::size_t(0) - *total) {
    return Status::error(Code::arena_too_small, "plan",
                         "%s takes the run past the address space (more than 2^%zu bytes)", what,
                         sizeof(std::size_t) * 8);
  }
  *total += more;
  return Status();
}

// Bytes of the model and the datasets the configuration reads. A plan() of 0 for a valid
// configuration means the size does not fit in size_t.
template <class T>
Status data_bytes(const RunConfig& c, const train::VariantPlan& variant, std::size_t threads,
                  std::size_t* bytes) {
  const ModelConfig mc = model_config(c);
  const std::size_t model = Model<T>::plan(mc);
  if (model == 0) return add_bytes(bytes, ~std::size_t(0), "the model (U)");
  MIMKIT_TRY(add_bytes(bytes, model, "the model (U)"));
  train::DatasetUse uses[train::kMaxDatasets];
  const std::size_t count = train::datasets_used(c, variant, uses);
  for (std::size_t i = 0; i < count; ++i) {
    char what[96];
    platform::format(what, sizeof what, "the %s data (%llu rows, %s)",
                     dataset_name(uses[i].dataset), static_cast<unsigned long long>(uses[i].rows),
                     data_mode_name(uses[i].mode));
    const std::size_t b = DataSet<T>::plan(mc, uses[i].rows, uses[i].mode, threads);
    MIMKIT_TRY(add_bytes(bytes, b == 0 ? ~std::size_t(0) : b, what));
  }
  return Status();
}

template <class T>
State<T>* state_of(void* p) {
  return static_cast<State<T>*>(p);
}

}  // namespace

template <class T>
Status Trainer<T>::plan(const RunConfig& config, std::size_t threads, std::size_t* bytes) noexcept {
  if (bytes == nullptr) return Status::error(Code::invalid_argument, "bytes", "is a null pointer");
  *bytes = 0;
  RunConfig c = config;
  resolve(&c);
  MIMKIT_TRY(validate(c));
  if (threads < 1 || threads > ThreadPool::kMaxThreads) {
    return Status::error(Code::invalid_argument, "threads",
                         "threads = %zu is out of range (allowed: 1..%zu)", threads,
                         ThreadPool::kMaxThreads);
  }
  Arena measure = Arena::measure();
  void* state = nullptr;
  MIMKIT_TRY(measure.allocate_bytes(sizeof(State<T>), &state, "state"));
  State<T> sizes;
  train::set_sizes(sizes, c, threads);
  MIMKIT_TRY(train::carve(sizes, measure));
  std::size_t total = measure.used();
  MIMKIT_TRY(data_bytes<T>(c, sizes.variant, threads, &total));
  *bytes = total;
  return Status();
}

template <class T>
std::size_t Trainer<T>::plan(const RunConfig& config, std::size_t threads) noexcept {
  std::size_t bytes = 0;
  return plan(config, threads, &bytes).ok() ? bytes : 0;
}

template <class T>
Trainer<T>::~Trainer() {
  if (state_ == nullptr) return;
  state_of<T>(state_)->~State<T>();
  arena_->remove_tenant(this);
}

template <class T>
void Trainer<T>::on_arena_released(void* self) noexcept {
  Trainer<T>& t = *static_cast<Trainer<T>*>(self);
  if (t.state_ != nullptr) state_of<T>(t.state_)->~State<T>();
  t.state_ = nullptr;
  t.arena_ = nullptr;
  t.released_ = true;
}

template <class T>
void Trainer<T>::on_arena_moved(void* self, Arena* to) noexcept {
  static_cast<Trainer<T>*>(self)->arena_ = to;
}

template <class T>
Status Trainer<T>::usable(const char* call) const noexcept {
  if (released_) {
    return Status::error(Code::invalid_argument, "arena",
                         "the arena this Trainer was carved from was reset or destroyed; %s() "
                         "needs a new Trainer",
                         call);
  }
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "call init() before %s()", call);
  }
  if (!state_of<T>(state_)->ready) {
    return Status::error(Code::invalid_argument, "trainer",
                         "init() failed; %s() needs a Trainer whose init() succeeded", call);
  }
  return Status();
}

template <class T>
Status Trainer<T>::init(const RunConfig& config, const Execution& execution, Arena& arena,
                        const CustomFunctions* custom) noexcept {
  if (state_ != nullptr || released_) {
    return Status::error(Code::invalid_argument, "trainer", "init() was already called");
  }
  RunConfig c = config;
  resolve(&c);
  MIMKIT_TRY(validate(c));
  MIMKIT_TRY(train::check_dtype_range<T>(c));
  if (execution.threads < 1 || execution.threads > ThreadPool::kMaxThreads) {
    return Status::error(Code::invalid_argument, "threads",
                         "threads = %zu is out of range (allowed: 1..%zu)", execution.threads,
                         ThreadPool::kMaxThreads);
  }
  if (!isa_compiled(execution.isa)) {
    return Status::error(Code::unsupported_isa, "isa", "'%s' is not compiled into this build",
                         isa_name(execution.isa));
  }
  std::size_t need = 0;
  MIMKIT_TRY(plan(c, execution.threads, &need));
  if (arena.capacity() - arena.used() < need) {
    return Status::error(Code::arena_too_small, "arena",
                         "the run needs %zu bytes (plan()) but the arena has %zu free", need,
                         arena.capacity() - arena.used());
  }
  void* mem = nullptr;
  MIMKIT_TRY(arena.allocate_bytes(sizeof(State<T>), &mem, "state"));
  Arena::Tenant tenant;
  tenant.self = this;
  tenant.released = &Trainer<T>::on_arena_released;
  tenant.moved = &Trainer<T>::on_arena_moved;
  MIMKIT_TRY(arena.add_tenant(tenant));
  State<T>& s = *new (mem) State<T>();
  state_ = mem;
  arena_ = &arena;
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
    MIMKIT_TRY(s.data(uses[i].dataset)
                   .init(s.model, uses[i].dataset, uses[i].rows, uses[i].mode, arena,
                         s.dims.workers, DataFill::later));
  }
  MIMKIT_TRY(train::carve(s, arena));
  const std::size_t rd = s.dims.r * s.dims.d;
  for (std::size_t i = 0; i < rd; ++i) s.metrics.U[i] = static_cast<double>(s.model.subspace()[i]);
  train::initialise_network(s);
  MIMKIT_TRY(train::check_initial_weights(s));
  MIMKIT_TRY(s.pool.start(s.dims.workers));
  MIMKIT_TRY(train::fill_datasets(s, uses, count));
  s.ready = true;
  return Status();
}

template <class T>
TwoLayerNet<T> Trainer<T>::network() const noexcept {
  TwoLayerNet<T> net;
  if (!usable("network").ok()) return net;
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
  MIMKIT_TRY(usable("set_network"));
  State<T>& s = *state_of<T>(state_);
  const train::Dims& n = s.dims;
  if (W == nullptr || b == nullptr || a == nullptr) {
    return Status::error(Code::invalid_argument, W == nullptr ? "W" : (b == nullptr ? "b" : "a"),
                         "is a null pointer (W: m x ldw, b and a: m values)");
  }
  if (ldw < n.d) {
    return Status::error(Code::invalid_argument, "ldw", "ldw = %zu must be >= d = %zu", ldw, n.d);
  }
  for (std::size_t i = 0; i < n.m; ++i) {
    for (std::size_t j = 0; j < n.d; ++j) s.net.W[i * n.ldx + j] = W[i * ldw + j];
    s.net.b[i] = b[i];
    s.net.a[i] = a[i];
  }
  train::pack_a(s);
  s.custom_weights = true;
  return Status();
}

template <class T>
Status Trainer<T>::phase1_objective(double* loss, T* G, std::size_t ldg) noexcept {
  MIMKIT_TRY(usable("phase1_objective"));
  State<T>& s = *state_of<T>(state_);
  const train::Dims& n = s.dims;
  if (loss == nullptr) {
    return Status::error(Code::invalid_argument, "loss", "is a null pointer");
  }
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
  MIMKIT_TRY(usable("train"));
  if (rep == nullptr) return Status::error(Code::invalid_argument, "report", "is a null pointer");
  State<T>& s = *state_of<T>(state_);
  if (s.trained) {
    return Status::error(Code::invalid_argument, "trainer",
                         "train() already ran on this Trainer (it runs once: init a new Trainer "
                         "to train again)");
  }
  s.trained = true;
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
  if (report == nullptr) {
    return Status::error(Code::invalid_argument, "report", "is a null pointer");
  }
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
