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

std::string SessionIdOf(const Request& r) {
  auto header = r.Header("cookie");
  if (!header) {
    return {};
  }
  for (const auto& part : SplitNonEmpty(*header, ";")) {
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == "vigil_session") {
      return part.substr(eq + 1);
    }
  }
  return {};
}

std::string SessionCookie(const std::string& value, std::chrono::seconds max_age, bool secure) {
  return "vigil_session=" + value + "; Path=/; Max-Age=" + std::to_string(max_age.count()) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

SignInOutcome SignIn(ServerState& state, Service& service, const Request& r,
                     const std::string& user, const std::string& password,
                     std::unique_lock<std::mutex>& store_lock) {
  using Kind = SignInOutcome::Kind;
  auto now = std::chrono::steady_clock::now();
  std::string user_key = "user:" + user;
  std::string client = ClientAddress(r, state.options);
  auto wait = std::max(state.user_failures.RetryAfter(user_key, now),
                       state.address_failures.RetryAfter(client, now));
  if (wait.count() > 0) {
    return {.kind = Kind::kThrottled, .retry_after = wait};
  }
  auto check = service.PrepareLogin(user);
  if (!check.ok()) {
    return {.kind = Kind::kRefused, .detail = check.status().message()};
  }
  auto hashed =
      state.hash_slots.Run(store_lock, [&] { return Service::CompleteLogin(*check, password); });
  if (!hashed) {
    return {.kind = Kind::kBusy, .retry_after = std::chrono::seconds(1)};
  }
  auto& in = *hashed;
  if (!in.ok()) {
    state.user_failures.Fail(user_key, now);
    state.address_failures.Fail(client, now);
    return {.kind = Kind::kRefused, .detail = in.status().message()};
  }
  state.user_failures.Forget(user_key);
  auto opened = state.sessions.Open(user, in->password_set_at, now);
  if (opened.id.empty()) {
    return {.kind = Kind::kNoSession};
  }
  return {.kind = Kind::kOpened, .role = in->role, .session = std::move(opened)};
}

std::optional<Status> EnrolUnlocked(ServerState& state, Service& service, const std::string& user,
                                    const std::string& code, const std::string& password,
                                    const std::string& from,
                                    std::unique_lock<std::mutex>& store_lock) {
  auto check = service.PrepareEnrol(user, code, password, from);
  if (!check.ok()) {
    return check.status();
  }
  auto hash = state.hash_slots.Run(store_lock, [&] { return Service::HashEnrolment(*check); });
  if (!hash) {
    return std::nullopt;
  }
  if (!hash->ok()) {
    return hash->status();
  }
  return service.FinishEnrol(*check, **hash);
}

namespace {

// Fields joined with a separator no field can hold unescaped.
std::string Joined(std::initializer_list<std::string> fields) {
  std::string out;
  for (const auto& f : fields) {
    for (char c : f) {
      if (c == '\\' || c == '|') {
        out += '\\';
      }
      out += c;
    }
    out += '|';
  }
  return out;
}

}  // namespace

std::string CacheKey(const VulnFilter& f) {
  return "vulns|" +
         Joined({f.class_name, f.cve, f.asset, f.scanner, f.kev ? "1" : "0", f.epss_above,
                 f.all ? "1" : "0", f.state, f.zone, f.overdue ? "1" : "0", f.sort});
}

std::string CacheKey(const FindingFilter& f) {
  return "findings|" +
         Joined({f.state, f.asset, f.vuln, f.scanner, f.cve, f.absent_unverified ? "1" : "0"});
}

}  // namespace vigil::web
