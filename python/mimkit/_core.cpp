// mimkit._core: the Python binding of the public C++ API (include/mimkit/). The Python package
// (__init__.py) builds configurations from keyword arguments and documents the user-facing API;
// this file turns Status into exceptions, owns every arena, releases the GIL while the library
// computes and turns Ctrl-C into Code::cancelled through the progress callback.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/results.hpp"
#include "cli/sweep_grid.hpp"
#include "mimkit/mimkit.hpp"

namespace py = pybind11;

namespace mimkit {
namespace python {

namespace {

// ---------------------------------------------------------------------------------------------
// Status -> Python exceptions. One class per kind of failure, each also a built-in exception
// class a caller already catches: ConfigError is a ValueError, NumericalError an
// ArithmeticError, ArenaError a MemoryError, FileError an OSError, InternalError a
// RuntimeError. Code::cancelled becomes KeyboardInterrupt (the signal that caused it).
// ---------------------------------------------------------------------------------------------

struct ExceptionClasses {
  py::object base, config, numerical, arena, file, internal;
};

ExceptionClasses& classes() {
  // Set once in PYBIND11_MODULE and never destroyed: the module object keeps the classes alive
  // and the interpreter may be finalised after static destructors run.
  static ExceptionClasses* c = new ExceptionClasses();
  return *c;
}

py::object new_exception(py::module_& m, const char* name, std::vector<py::handle> bases,
                         const char* doc) {
  py::tuple b(bases.size());
  for (std::size_t i = 0; i < bases.size(); ++i)
    b[i] = py::reinterpret_borrow<py::object>(bases[i]);
  const std::string qualified = std::string("mimkit.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, b.ptr(), nullptr);
  if (cls == nullptr) throw py::error_already_set();
  auto obj = py::reinterpret_steal<py::object>(cls);
  m.attr(name) = obj;
  return obj;
}

// Status texts echo user input truncated to a byte count, which may split a UTF-8 character.
py::str text(const char* s) {
  PyObject* u = PyUnicode_DecodeUTF8(s, static_cast<Py_ssize_t>(std::strlen(s)), "replace");
  if (u == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(u);
}

[[noreturn]] void raise(const Status& s) {
  const ExceptionClasses& c = classes();
  py::object cls;
  switch (s.code()) {
    case Code::invalid_argument:
    case Code::parse_error:
    case Code::unsupported_isa:
      cls = c.config;
      break;
    case Code::numerical_error:
      cls = c.numerical;
      break;
    case Code::arena_too_small:
      cls = c.arena;
      break;
    case Code::io_error:
      cls = c.file;
      break;
    case Code::cancelled:
      cls = py::reinterpret_borrow<py::object>(PyExc_KeyboardInterrupt);
      break;
    default:
      cls = c.internal;
      break;
  }
  char line[Status::kFieldCapacity + Status::kMessageCapacity + 8];
  s.describe(line, sizeof line);
  py::object exc = cls(text(line));
  exc.attr("code") = code_name(s.code());
  exc.attr("field") = text(s.field());
  exc.attr("message") = text(s.message());
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

void check(const Status& s) {
  if (!s.ok()) raise(s);
}

// The library takes C strings: an embedded NUL would silently cut a key or value short.
const char* c_string(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) {
    raise(Status::error(Code::invalid_argument, what, "contains a NUL character"));
  }
  return s.c_str();
}

// ---------------------------------------------------------------------------------------------
// Cancellation. The library calls Execution::progress from the thread that called run/train,
// between steps. The callback takes the GIL for the length of PyErr_CheckSignals(), which runs
// Python's signal handlers (Ctrl-C raises KeyboardInterrupt there); the raised exception is kept
// and re-raised once the library has returned Code::cancelled and the GIL is back.
// ---------------------------------------------------------------------------------------------

struct Interrupt {
  std::optional<py::error_already_set> error;
};

bool check_signals(const Progress&, void* user) noexcept {
  auto* intr = static_cast<Interrupt*>(user);
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() == 0) return true;
  try {
    intr->error.emplace();  // fetches and clears the pending exception
  } catch (...) {
    PyErr_Clear();  // no memory for the exception: cancelling is still right
  }
  return false;
}

// After a library call that had check_signals installed: the pending Python exception first
// (KeyboardInterrupt, or whatever a signal handler raised), then the Status.
void finish(const Status& s, Interrupt* intr) {
  if (intr->error) {
    py::error_already_set e = std::move(*intr->error);
    intr->error.reset();
    throw e;
  }
  check(s);
}

Execution execution(const std::string& isa_name, std::size_t threads, Interrupt* intr) {
  // Checked here, before plan() sizes per-thread buffers for a thread count init() would refuse.
  if (threads < 1 || threads > 256) {
    raise(Status::error(Code::invalid_argument, "threads",
                        "threads = %zu is out of range (allowed: 1..256)", threads));
  }
  Execution e;
  check(isa_select(c_string(isa_name, "arch"), "arch", &e.isa));
  e.threads = threads;
  e.progress = &check_signals;
  e.user = intr;
  return e;
}

std::string config_json(const RunConfig& c) {
  std::string out(512, '\0');
  std::size_t need = to_json(c, &out[0], out.size());
  if (need + 1 > out.size()) {
    out.assign(need + 1, '\0');
    need = to_json(c, &out[0], out.size());
  }
  out.resize(need);
  return out;
}

std::string report_text(const Report& report, const char* dtype) {
  std::string out(report_json_capacity(report), '\0');
  const std::size_t n = report_json(report, dtype, &out[0], out.size());
  out.resize(n < out.size() ? n : out.size() - 1);
  return out;
}

RunConfig validated(const RunConfig& config) {
  RunConfig c = config;
  resolve(&c);
  check(validate(c));
  return c;
}

void check_dtype(const std::string& dtype) {
  if (dtype != "float" && dtype != "double") {
    raise(Status::error(Code::invalid_argument, "dtype",
                        "dtype = '%.64s' is not known (allowed: float, double)", dtype.c_str()));
  }
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

template <class T>
std::string run_typed(const RunConfig& config, const std::string& isa, std::size_t threads) {
  const RunConfig c = validated(config);
  Interrupt intr;
  const Execution exec = execution(isa, threads, &intr);
  Status st;
  Arena arena = Arena::owned(plan<T>(c, threads), &st);
  check(st);
  auto report = std::make_unique<Report>();
  {
    py::gil_scoped_release release;
    st = run<T>(c, exec, arena, report.get());
  }
  finish(st, &intr);
  return report_text(*report, sizeof(T) == 4 ? "float" : "double");
}

std::string run_any(const RunConfig& config, const std::string& isa, std::size_t threads,
                    const std::string& dtype) {
  check_dtype(dtype);
  return dtype == "float" ? run_typed<float>(config, isa, threads)
                          : run_typed<double>(config, isa, threads);
}

// ---------------------------------------------------------------------------------------------
// Trainer: owns its arena (declared before the Trainer, so the Trainer, whose state lives in
// the arena, is destroyed first). Every array it hands out is a copy.
// ---------------------------------------------------------------------------------------------

class TrainerBox {
 public:
  virtual ~TrainerBox() = default;
  virtual std::string train() = 0;
  virtual py::tuple network() = 0;
  virtual void set_network(const py::array& W, const py::array& b, const py::array& a) = 0;
  virtual py::object phase1_objective(bool gradient) = 0;
  virtual py::array subspace() = 0;
  virtual std::string config() const = 0;
  virtual std::size_t footprint() const = 0;
  virtual std::string isa() const = 0;
};

// One library call at a time per Trainer: the GIL is released during the call, so a second
// Python thread could otherwise enter the same Trainer.
class Busy {
 public:
  explicit Busy(bool* flag) : flag_(flag) {
    if (*flag_) {
      throw py::value_error("this Trainer is in use by another thread (one call at a time)");
    }
    *flag_ = true;
  }
  ~Busy() { *flag_ = false; }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;

 private:
  bool* flag_;
};

template <class T>
py::array_t<T> new_array(std::vector<py::ssize_t> shape) {
  return py::array_t<T>(shape);
}

template <class T>
class TrainerImpl final : public TrainerBox {
 public:
  TrainerImpl(const RunConfig& config, const std::string& isa, std::size_t threads)
      : config_(validated(config)), exec_(execution(isa, threads, &intr_)) {
    Status st;
    footprint_ = Trainer<T>::plan(config_, threads);
    arena_ = Arena::owned(footprint_, &st);
    check(st);
    {
      py::gil_scoped_release release;  // init materialises fit1 and fit2: seconds for large n
      st = trainer_.init(config_, exec_, arena_);
    }
    check(st);
    // U from its own Model: the Trainer does not expose its model, and U is a pure function of
    // (d, r, seed) on every ISA, so this is the U the Trainer trains against.
    const ModelConfig mc = model_config(config_);
    Link link;
    check(Link::parse(config_.link, config_.r, &link));
    Arena model_arena = Arena::owned(Model<T>::plan(mc), &st);
    check(st);
    Model<T> model;
    check(model.init(mc, link, exec_.isa, model_arena));
    U_ = new_array<T>({static_cast<py::ssize_t>(mc.r), static_cast<py::ssize_t>(mc.d)});
    std::memcpy(U_.mutable_data(), model.subspace(), mc.r * mc.d * sizeof(T));
  }

  std::string train() override {
    Busy busy(&busy_);
    auto report = std::make_unique<Report>();
    Status st;
    {
      py::gil_scoped_release release;
      st = trainer_.train(report.get());
    }
    finish(st, &intr_);
    return report_text(*report, sizeof(T) == 4 ? "float" : "double");
  }

  py::tuple network() override {
    Busy busy(&busy_);
    const TwoLayerNet<T> net = trainer_.network();
    auto W = new_array<T>({static_cast<py::ssize_t>(net.m), static_cast<py::ssize_t>(net.d)});
    auto b = new_array<T>({static_cast<py::ssize_t>(net.m)});
    auto a = new_array<T>({static_cast<py::ssize_t>(net.m)});
    T* w = W.mutable_data();
    for (std::size_t i = 0; i < net.m; ++i) {
      std::memcpy(w + i * net.d, net.W + i * net.ldw, net.d * sizeof(T));
    }
    std::memcpy(b.mutable_data(), net.b, net.m * sizeof(T));
    std::memcpy(a.mutable_data(), net.a, net.m * sizeof(T));
    return py::make_tuple(W, b, a);
  }

  void set_network(const py::array& W, const py::array& b, const py::array& a) override {
    Busy busy(&busy_);
    using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;
    const Array w = Array::ensure(W), bb = Array::ensure(b), aa = Array::ensure(a);
    if (!w || !bb || !aa) throw py::error_already_set();
    const TwoLayerNet<T> net = trainer_.network();
    const auto m = static_cast<py::ssize_t>(net.m), d = static_cast<py::ssize_t>(net.d);
    if (w.ndim() != 2 || w.shape(0) != m || w.shape(1) != d) {
      raise(Status::error(Code::invalid_argument, "W", "W must have shape (m, d) = (%zu, %zu)",
                          net.m, net.d));
    }
    if (bb.ndim() != 1 || bb.shape(0) != m) {
      raise(Status::error(Code::invalid_argument, "b", "b must have shape (m,) = (%zu,)", net.m));
    }
    if (aa.ndim() != 1 || aa.shape(0) != m) {
      raise(Status::error(Code::invalid_argument, "a", "a must have shape (m,) = (%zu,)", net.m));
    }
    check(trainer_.set_network(w.data(), net.d, bb.data(), aa.data()));
  }

  py::object phase1_objective(bool gradient) override {
    Busy busy(&busy_);
    const TwoLayerNet<T> net = trainer_.network();
    py::array_t<T> G;
    T* g = nullptr;
    if (gradient) {
      G = new_array<T>({static_cast<py::ssize_t>(net.m), static_cast<py::ssize_t>(net.d)});
      g = G.mutable_data();
    }
    double loss = 0;
    Status st;
    {
      py::gil_scoped_release release;
      st = trainer_.phase1_objective(&loss, g, net.d);
    }
    check(st);
    if (!gradient) return py::float_(loss);
    return py::make_tuple(loss, G);
  }

  py::array subspace() override { return U_.attr("copy")(); }
  std::string config() const override { return config_json(config_); }
  std::size_t footprint() const override { return footprint_; }
  std::string isa() const override { return isa_name(exec_.isa); }

 private:
  RunConfig config_;
  Interrupt intr_;  // before exec_, which points at it
  Execution exec_;
  std::size_t footprint_ = 0;
  bool busy_ = false;
  Arena arena_;         // outlives trainer_ (members are destroyed in reverse order)
  Trainer<T> trainer_;  // its state lives in arena_
  py::array_t<T> U_;
};

std::unique_ptr<TrainerBox> make_trainer(const RunConfig& config, const std::string& isa,
                                         std::size_t threads, const std::string& dtype) {
  check_dtype(dtype);
  if (dtype == "float") return std::make_unique<TrainerImpl<float>>(config, isa, threads);
  return std::make_unique<TrainerImpl<double>>(config, isa, threads);
}

// ---------------------------------------------------------------------------------------------
// data: Model::generate straight into numpy arrays (leading dimension d), tile_rows rows at a
// time, checking for Ctrl-C between them.
// ---------------------------------------------------------------------------------------------

// A Python callable as a link. Called once per row with z1..zr as floats, with the GIL held
// (data() keeps it when the link is Python). An exception stops generation: the library sees
// NaN, and the exception is re-raised instead of the library's numerical_error.
struct PythonLink {
  py::object fn;
  std::optional<py::error_already_set> error;
};

double call_python_link(const double* z, std::size_t r, void* user) noexcept {
  auto* link = static_cast<PythonLink*>(user);
  if (link->error) return NAN;
  try {
    py::tuple args(r);
    for (std::size_t k = 0; k < r; ++k) args[k] = py::float_(z[k]);
    return link->fn(*args).cast<double>();
  } catch (py::error_already_set& e) {
    link->error.emplace(std::move(e));
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_TypeError, (std::string("link: ") + e.what()).c_str());
    link->error.emplace();
  }
  return NAN;
}

template <class T>
py::tuple data_typed(const ModelConfig& mc, const Link& link, PythonLink* python_link, Isa isa,
                     Dataset dataset, std::uint64_t n) {
  Status st;
  Arena arena = Arena::owned(Model<T>::plan(mc), &st);
  check(st);
  Model<T> model;
  check(model.init(mc, link, isa, arena));
  const auto rows = static_cast<py::ssize_t>(n), d = static_cast<py::ssize_t>(mc.d);
  auto X = new_array<T>({rows, d});
  auto y = new_array<T>({rows});
  auto U = new_array<T>({static_cast<py::ssize_t>(mc.r), d});
  std::memcpy(U.mutable_data(), model.subspace(), mc.r * mc.d * sizeof(T));
  T* xp = X.mutable_data();
  T* yp = y.mutable_data();
  Interrupt intr;
  {
    // A Python link needs the GIL for every row; the built-in links run without it.
    std::optional<py::gil_scoped_release> release;
    if (python_link == nullptr) release.emplace();
    for (std::uint64_t row0 = 0; row0 < n && st.ok(); row0 += mc.tile_rows) {
      const std::size_t count =
          static_cast<std::size_t>(n - row0 < mc.tile_rows ? n - row0 : mc.tile_rows);
      st = model.generate(dataset, row0, count, xp + row0 * mc.d, mc.d, yp + row0);
      if (st.ok() && !check_signals(Progress(), &intr)) {
        st = Status::error(Code::cancelled, "data", "cancelled at row %llu",
                           static_cast<unsigned long long>(row0 + count));
      }
    }
  }
  if (python_link != nullptr && python_link->error) {
    py::error_already_set e = std::move(*python_link->error);
    python_link->error.reset();
    throw e;
  }
  finish(st, &intr);
  return py::make_tuple(X, y, U);
}

py::tuple data_any(std::size_t d, std::size_t r, const py::object& link_spec, std::uint64_t n,
                   std::uint64_t seed, const std::string& dataset_name_text, double noise,
                   const std::string& dtype, const std::string& isa_text, std::size_t tile_rows) {
  check_dtype(dtype);
  ModelConfig mc;
  mc.d = d;
  mc.r = r;
  mc.seed = seed;
  mc.noise = noise;
  mc.tile_rows = tile_rows;
  check(validate(mc));
  if (n < 1 || n > (std::uint64_t(1) << 40)) {
    raise(Status::error(Code::invalid_argument, "n", "n = %llu is out of range (allowed: 1..2^40)",
                        static_cast<unsigned long long>(n)));
  }
  Dataset dataset = Dataset::fit1;
  check(parse_dataset(c_string(dataset_name_text, "dataset"), "dataset", &dataset));
  Isa isa = Isa::scalar;
  check(isa_select(c_string(isa_text, "arch"), "arch", &isa));
  Link link;
  PythonLink python_link;
  const bool is_python = !py::isinstance<py::str>(link_spec);
  if (!is_python) {
    const std::string spec = link_spec.cast<std::string>();
    check(Link::parse(c_string(spec, "link"), r, &link));
  } else {
    if (!PyCallable_Check(link_spec.ptr())) {
      throw py::type_error("link must be a spec string or a callable g(z1, ..., zr) -> float");
    }
    python_link.fn = link_spec;
    const std::string name =
        "python:" +
        py::str(py::getattr(link_spec, "__qualname__", py::str("callable"))).cast<std::string>();
    link = Link::callable(&call_python_link, &python_link, r, name.c_str());
  }
  PythonLink* pl = is_python ? &python_link : nullptr;
  return dtype == "float" ? data_typed<float>(mc, link, pl, isa, dataset, n)
                          : data_typed<double>(mc, link, pl, isa, dataset, n);
}

// ---------------------------------------------------------------------------------------------
// Small helpers: digest, presets, keys, build identification.
// ---------------------------------------------------------------------------------------------

std::string digest(const py::args& buffers) {
  Digest dg;
  for (const py::handle& h : buffers) {
    const py::buffer_info info = py::reinterpret_borrow<py::buffer>(h).request();
    // Row-major contiguous: strides must be those of a C array of the same shape.
    py::ssize_t expect = info.itemsize;
    for (py::ssize_t k = info.ndim; k-- > 0;) {
      if (info.shape[k] > 1 && info.strides[k] != expect) {
        throw py::value_error(
            "digest: every buffer must be C-contiguous (use numpy.ascontiguousarray)");
      }
      expect *= info.shape[k];
    }
    dg.update(info.ptr, static_cast<std::size_t>(info.size * info.itemsize));
  }
  char hex[17];
  dg.hex(hex);
  return hex;
}

py::list preset_list() {
  std::size_t count = 0;
  const Preset* p = presets(&count);
  py::list out;
  for (std::size_t i = 0; i < count; ++i) {
    py::dict d;
    d["name"] = p[i].name;
    d["description"] = p[i].description;
    d["settings"] = p[i].settings;
    d["grid"] = p[i].grid;
    d["seeds"] = p[i].seeds;
    out.append(d);
  }
  return out;
}

py::list key_list() {
  py::list out;
  for (const char* const* k = config_keys(); *k != nullptr; ++k) {
    out.append(py::make_tuple(*k, config_key_help(*k)));
  }
  return out;
}

py::list supported_isas() {
  py::list out;
  for (int i = 0; i < kIsaCount; ++i) {
    if (isa_supported(static_cast<Isa>(i))) out.append(isa_name(static_cast<Isa>(i)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sweeps: the points, their keys and the results lines by the CLI's own rules (src/cli/
// sweep_grid and results), so a Python sweep and `mimkit sweep` write the same file.
// ---------------------------------------------------------------------------------------------

struct SweepPlan {
  cli::SweepId id;
  std::vector<cli::Point> points;

  const cli::Point& at(std::size_t index) const {
    if (index >= points.size()) throw py::index_error("no such point");
    return points[index];
  }
};

// grid: the CLI's text ("d=64,128;alpha=2:64:6:log") or a list of (key, [value texts]).
std::unique_ptr<SweepPlan> make_sweep_plan(const RunConfig& base, const py::object& grid,
                                           std::uint64_t seeds, const std::string& dtype) {
  std::vector<cli::Axis> axes;
  if (py::isinstance<py::str>(grid)) {
    check(cli::parse_grid_text(grid.cast<std::string>(), &axes));
  } else {
    for (const auto& item :
         grid.cast<std::vector<std::pair<std::string, std::vector<std::string>>>>()) {
      cli::Axis axis;
      axis.key = item.first;
      axis.values = item.second;
      if (axis.values.empty()) {
        check(
            Status::error(Code::invalid_argument, "grid", "'%s' has no values", axis.key.c_str()));
      }
      check(cli::check_axis(&axis));
      axes.push_back(axis);
    }
  }
  check(cli::check_axes(axes));
  auto plan = std::make_unique<SweepPlan>();
  check(cli::enumerate(base, axes, seeds, &plan->points));
  plan->id = cli::make_sweep_id(base, axes, seeds, dtype);
  return plan;
}

}  // namespace

}  // namespace python
}  // namespace mimkit

PYBIND11_MODULE(_core, m) {
  using namespace mimkit;
  using namespace mimkit::python;
  m.doc() = "mimkit's C++ core; use the mimkit package, not this module.";

  ExceptionClasses& c = classes();
  c.base = new_exception(m, "Error", {PyExc_Exception},
                         "A mimkit Status: .code (e.g. 'invalid_argument'), .field (the key or "
                         "argument), .message; str() is 'field: message'.");
  c.config = new_exception(m, "ConfigError", {c.base, PyExc_ValueError},
                           "A bad key, value, link spec or instruction set.");
  c.numerical = new_exception(m, "NumericalError", {c.base, PyExc_ArithmeticError},
                              "NaN or Inf appeared: a diverging run or a link giving NaN.");
  c.arena = new_exception(m, "ArenaError", {c.base, PyExc_MemoryError},
                          "The memory a run needs could not be allocated.");
  c.file = new_exception(m, "FileError", {c.base, PyExc_OSError}, "A file could not be used.");
  c.internal = new_exception(m, "InternalError", {c.base, PyExc_RuntimeError},
                             "A broken invariant inside mimkit (a bug: please report it).");

  py::class_<RunConfig>(m, "Config", "A RunConfig: every key of a run.")
      .def(py::init<>())
      .def("set",
           [](RunConfig& cfg, const std::string& key, const std::string& value) {
             check(set(&cfg, c_string(key, "key"), c_string(value, key.c_str())));
           })
      .def("apply_text",
           [](RunConfig& cfg, const std::string& text, const std::string& source) {
             check(apply_text(&cfg, c_string(text, "config"), c_string(source, "config")));
           })
      .def("apply_preset",
           [](RunConfig& cfg, const std::string& name) {
             check(apply_preset(&cfg, c_string(name, "preset")));
           })
      .def("resolve", [](RunConfig& cfg) { resolve(&cfg); })
      .def("validate", [](const RunConfig& cfg) { check(validate(cfg)); })
      .def("json", &config_json)
      .def("copy", [](const RunConfig& cfg) { return cfg; })
      .def_readwrite("seed", &RunConfig::seed);

  m.def("run", &run_any, py::arg("config"), py::arg("isa"), py::arg("threads"), py::arg("dtype"));

  py::class_<TrainerBox>(m, "Trainer")
      .def(py::init(&make_trainer), py::arg("config"), py::arg("isa"), py::arg("threads"),
           py::arg("dtype"))
      .def("train", &TrainerBox::train)
      .def("network", &TrainerBox::network)
      .def("set_network", &TrainerBox::set_network, py::arg("W"), py::arg("b"), py::arg("a"))
      .def("phase1_objective", &TrainerBox::phase1_objective, py::arg("gradient"))
      .def("subspace", &TrainerBox::subspace)
      .def("config", &TrainerBox::config)
      .def("footprint", &TrainerBox::footprint)
      .def("isa", &TrainerBox::isa);

  m.def("data", &data_any, py::arg("d"), py::arg("r"), py::arg("link"), py::arg("n"),
        py::arg("seed"), py::arg("dataset"), py::arg("noise"), py::arg("dtype"), py::arg("isa"),
        py::arg("tile_rows"));
  py::class_<SweepPlan>(m, "SweepPlan")
      .def(py::init(&make_sweep_plan), py::arg("base"), py::arg("grid"), py::arg("seeds"),
           py::arg("dtype"))
      .def("points",
           [](const SweepPlan& p) {
             py::list out;
             for (const cli::Point& pt : p.points) {
               out.append(py::make_tuple(pt.index, pt.config, pt.grid_json, pt.key));
             }
             return out;
           })
      .def("id", [](const SweepPlan& p) { return p.id.id; })
      .def("line",
           [](const SweepPlan& p, std::size_t index, const std::string& report) {
             return cli::result_line(p.id, p.at(index), p.points.size(), report.c_str());
           })
      .def("error_line", [](const SweepPlan& p, std::size_t index, const std::string& field,
                            const std::string& message) {
        return cli::error_line(
            p.id, p.at(index), p.points.size(),
            Status::error(Code::numerical_error, field.c_str(), "%s", message.c_str()));
      });
  m.def("digest", &digest);
  m.def("presets", &preset_list);
  m.def("keys", &key_list);
  m.def("select_isa", [](const std::string& request, const std::string& field) {
    Isa isa = Isa::scalar;
    check(isa_select(c_string(request, "arch"), c_string(field, "arch"), &isa));
    return std::string(isa_name(isa));
  });
  m.def("supported_isas", &supported_isas);
  m.def("compiled_isas", [] { return std::string(isa_compiled_list()); });
  m.def("version", [] { return std::string(version()); });
  m.def("git_commit", [] { return std::string(git_commit()); });
}
