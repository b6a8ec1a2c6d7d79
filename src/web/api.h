// The JSON API under /api/v1 (docs/api.md, docs/api/openapi.yaml): each route turns a
// request into one call of the application layer (app/service.h) and its result into JSON;
// every error is an RFC 9457 problem (application/problem+json), an error about a field
// names it as a JSON pointer (body) or a parameter (query). Clients authenticate with
// `Authorization: Bearer TOKEN` (the tokens `vigil user add` and `vigil user token` print);
// who may do what is decided by the application layer, never here.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "app/app.h"
#include "web/http_server.h"

namespace vigil::web {

// A route: its method and its path pattern, {name} standing for one path segment.
struct ApiRoute {
  std::string method;
  std::string pattern;
};

// docs/api/openapi.yaml, built into the binary and served at /api/v1/openapi.yaml.
extern const char* const kOpenApiYaml;

class Api {
 public:
  explicit Api(App& app) : app_(app) {}

  Response Handle(const Request& request);
  // Every route the server answers (`vigil serve --routes`); a test checks that the OpenAPI
  // document describes exactly these.
  static std::vector<ApiRoute> Routes();
  // True for the routes whose body is spooled to a file (scan reports).
  static bool Spools(const std::string& method, const std::string& path);
  // Scheduled work between requests: the daily signed checkpoint. A line for the log, or
  // empty when nothing was due.
  std::string Tick();

 private:
  App& app_;
  // One request at a time reaches the store (SQLite has one writer; reads are short).
  std::mutex mutex_;
  TokenCache tokens_;
};

// The problem a Status becomes: 400 for bad input, 403 for a refused identity, 404, 409 for a
// state that does not allow it, 500 for the rest. `body`: the field is a JSON pointer into
// the request body; otherwise it is a query parameter.
Response ProblemFor(const Status& status, bool body);

}  // namespace vigil::web
