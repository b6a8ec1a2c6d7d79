#include "web/server_state.h"

#include <algorithm>

#include "core/text.h"

namespace vigil::web {

std::string ClientAddress(const Request& r, const ApiOptions& options) {
  if (std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(), r.remote) ==
      options.trusted_proxies.end()) {
    return r.remote;
  }
  auto forwarded = r.Header("x-forwarded-for");
  if (!forwarded) {
    return r.remote;
  }
  auto hops = SplitNonEmpty(*forwarded, ",");
  return hops.empty() ? r.remote : hops.back();
}

}  // namespace vigil::web
