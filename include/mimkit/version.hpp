// Build identification.
#pragma once

namespace mimkit {

/// Semantic version of the library, e.g. "0.1.0".
const char* version() noexcept;
/// Short git commit the library was built from, or "unknown".
const char* git_commit() noexcept;

}  // namespace mimkit
