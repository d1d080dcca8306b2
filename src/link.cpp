// Link: evaluation of a compiled link spec or a callable at a point z in R^r.
#include "mimkit/link.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "link_ops.hpp"
#include "platform/format.hpp"

namespace mimkit {

using namespace link_ops;

namespace {

double hermite(double x, unsigned degree) {
  if (degree == 0) return 1.0;
  double previous = 1.0;
  double current = x;
  for (unsigned k = 1; k < degree; ++k) {
    const double a = x * current;
    const double b = static_cast<double>(k) * previous;
    const double next = a - b;
    previous = current;
    current = next;
  }
  return current;
}

double power(double x, unsigned exponent) {
  if (exponent == 0) return 1.0;
  double result = x;
  for (unsigned i = 1; i < exponent; ++i) result = result * x;
  return result;
}

double norm2(const double* z, std::size_t r) {
  double sum = 0.0;
  for (std::size_t i = 0; i < r; ++i) {
    const double square = z[i] * z[i];
    sum = sum + square;
  }
  return sum / static_cast<double>(r);
}

// NaN must survive relu and sign: the caller detects a bad link by a NaN label, and a
// comparison-based max(x, 0) would silently turn NaN into 0.
double relu(double x) {
  if (x > 0.0) return x;
  if (x <= 0.0) return 0.0;
  return x;
}

double sign(double x) {
  if (x > 0.0) return 1.0;
  if (x < 0.0) return -1.0;
  if (x == 0.0) return 0.0;
  return x;
}

}  // namespace

Link::Link() noexcept
    : kind_(Kind::empty), r_(0), n_ops_(0), fn_(nullptr), user_(nullptr), spec_{}, ops_{} {}

Link Link::callable(Fn fn, void* user, std::size_t r, const char* name) noexcept {
  Link link;
  if (fn == nullptr || r == 0 || r > kMaxR) return link;
  link.kind_ = Kind::callable;
  link.r_ = r;
  link.fn_ = fn;
  link.user_ = user;
  platform::format(link.spec_, sizeof link.spec_, "%s", name != nullptr ? name : "callable");
  return link;
}

double Link::operator()(const double* z) const noexcept {
  switch (kind_) {
    case Kind::empty:
      return std::numeric_limits<double>::quiet_NaN();
    case Kind::callable:
      return fn_(z, r_, user_);
    case Kind::compiled:
      break;
  }
  // The parser proved the depth never exceeds kMaxStack, so pushes need no bounds check.
  double stack[kMaxStack];
  std::size_t top = 0;
  for (std::size_t i = 0; i < n_ops_; ++i) {
    const Op& op = ops_[i];
    switch (op.code) {
      case kPushConst:
        stack[top++] = op.value;
        break;
      case kPushVar:
        stack[top++] = z[op.arg];
        break;
      case kPushNorm2:
        stack[top++] = norm2(z, r_);
        break;
      case kAdd:
        --top;
        stack[top - 1] = stack[top - 1] + stack[top];
        break;
      case kSub:
        --top;
        stack[top - 1] = stack[top - 1] - stack[top];
        break;
      case kMul:
        --top;
        stack[top - 1] = stack[top - 1] * stack[top];
        break;
      case kDiv:
        --top;
        stack[top - 1] = stack[top - 1] / stack[top];
        break;
      case kNeg:
        stack[top - 1] = -stack[top - 1];
        break;
      case kPow:
        stack[top - 1] = power(stack[top - 1], op.arg);
        break;
      case kHermite:
        stack[top - 1] = hermite(stack[top - 1], op.arg);
        break;
      case kRelu:
        stack[top - 1] = relu(stack[top - 1]);
        break;
      case kAbs:
        stack[top - 1] = std::fabs(stack[top - 1]);
        break;
      case kSign:
        stack[top - 1] = sign(stack[top - 1]);
        break;
      case kSqrt:
        stack[top - 1] = std::sqrt(stack[top - 1]);
        break;
      default:
        return std::numeric_limits<double>::quiet_NaN();
    }
  }
  return top == 1 ? stack[0] : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace mimkit
