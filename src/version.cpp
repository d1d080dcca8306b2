#include "mimkit/version.hpp"

namespace mimkit {

const char* version() noexcept {
  return MIMKIT_VERSION;
}
const char* git_commit() noexcept {
  return MIMKIT_GIT_COMMIT;
}

}  // namespace mimkit
