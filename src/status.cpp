#include "mimkit/status.hpp"

#include <cstdarg>
#include <cstring>

#include "platform/format.hpp"

namespace mimkit {

const char* code_name(Code code) noexcept {
  switch (code) {
    case Code::ok:
      return "ok";
    case Code::invalid_argument:
      return "invalid_argument";
    case Code::parse_error:
      return "parse_error";
    case Code::arena_too_small:
      return "arena_too_small";
    case Code::unsupported_isa:
      return "unsupported_isa";
    case Code::io_error:
      return "io_error";
    case Code::numerical_error:
      return "numerical_error";
    case Code::cancelled:
      return "cancelled";
    case Code::internal:
      return "internal";
  }
  return "unknown";
}

Status::Status() noexcept : code_(Code::ok) {
  field_[0] = '\0';
  message_[0] = '\0';
}

Status Status::error(Code code, const char* field, const char* message_format, ...) noexcept {
  Status s;
  s.code_ = code;
  platform::format(s.field_, kFieldCapacity, "%s", field ? field : "");
  std::va_list args;
  va_start(args, message_format);
  platform::vformat(s.message_, kMessageCapacity, message_format, args);
  va_end(args);
  return s;
}

const char* Status::describe(char* out, std::size_t capacity) const noexcept {
  if (capacity == 0) return out;
  if (field_[0] != '\0') {
    platform::format(out, capacity, "%s: %s", field_, message_);
  } else {
    platform::format(out, capacity, "%s", message_);
  }
  return out;
}

}  // namespace mimkit

// The library's contract: it never throws and needs no RTTI. Enforced at build time.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "libmimkit must be compiled with -fno-exceptions"
#endif
#if defined(__GXX_RTTI) || defined(__cpp_rtti)
#error "libmimkit must be compiled with -fno-rtti"
#endif
