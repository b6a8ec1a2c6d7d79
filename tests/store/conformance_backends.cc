#include "store/conformance_backends.h"

#include <cstdlib>

namespace vigil::conformance {

namespace {

std::string PostgresUrl() {
  const char* url = std::getenv("VIGIL_PG_URL");
  return url == nullptr ? std::string() : std::string(url);
}

}  // namespace

// PostgreSQL only when a database is given (ctest discovers the SQLite half; the postgres
// half runs whole under tests/support/pg_cluster.py, store_conformance_postgres).
const std::vector<std::string>& Backends() {
  static const std::vector<std::string> kBackends =
      PostgresUrl().empty() ? std::vector<std::string>{"sqlite"}
                            : std::vector<std::string>{"sqlite", "postgres"};
  return kBackends;
}

std::string SkipReason(const std::string& backend) {
  if (backend == "sqlite") {
    return {};
  }
  if (backend == "postgres") {
    return PostgresUrl().empty()
               ? "VIGIL_PG_URL is unset: set it to a postgresql:// URL of a database the "
                 "tests may empty to run the suite against PostgreSQL"
               : std::string();
  }
  return "unknown backend '" + backend + "'";
}

std::string BackendUrl(const std::string& backend, const std::filesystem::path& dir,
                       const std::string& name) {
  if (backend == "sqlite") {
    return "sqlite:" + (dir / (name + ".db")).string();
  }
  if (backend == "postgres") {
    return PostgresUrl();
  }
  return {};
}

Status ResetForTest(const std::string& backend, const std::string& url, Store& store) {
  if (backend == "sqlite") {
    return Status::Ok();  // a new file per test and per name
  }
  if (backend == "postgres") {
    return PostgresReset(url, store);
  }
  return Internal("unknown backend '" + backend + "'");
}

Result<std::unique_ptr<Store>> FreshStore(const std::string& backend, const std::string& url,
                                          bool initialize) {
  if (url.empty()) {
    return FailedPrecondition("backend '" + backend + "' is not configured");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(url, OpenMode::kCreate));
  RETURN_IF_ERROR(ResetForTest(backend, url, *store).WithPrefix("resetting " + backend));
  if (initialize) {
    RETURN_IF_ERROR(store->Initialize());
  }
  return store;
}

}  // namespace vigil::conformance
