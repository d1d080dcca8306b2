// What a command may consume: the memory budget a run's arena is checked against before any
// work, and the caps on the files a command reads. CLI only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "args.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

/// Largest file a command reads whole (config files, sweep results): larger ones are refused
/// with a message instead of exhausting memory.
constexpr std::uint64_t kMaxInputBytes = std::uint64_t(1) << 30;  // 1 GiB

/// "1048576", "512K", "1.5G", "2T" (powers of 1024) -> bytes.
bool parse_bytes(const std::string& text, std::uint64_t* out);
/// 3.3 GB-style text for messages (powers of 1024, three significant digits).
std::string format_bytes(std::uint64_t bytes);

/// The bytes this process may use, and what set the bound: --max-memory, else the environment
/// variable MIMKIT_MAX_MEMORY, else the smallest of physical memory, the cgroup memory limit
/// (v2 memory.max along the process's cgroup path, or v1 memory.limit_in_bytes) and
/// RLIMIT_AS / RLIMIT_DATA.
Status memory_budget(const Args& args, std::uint64_t* bytes, std::string* source);

/// Refuses up front (Code::arena_too_small, field "memory") when `need` bytes exceed the
/// budget, naming both and what to change.
Status check_memory(const Args& args, std::uint64_t need, const char* what);

}  // namespace cli
}  // namespace mimkit
