// The web UI (docs/ui.md): server-rendered pages for the team and its auditor, working without
// JavaScript. People sign in with their password (a session cookie); every form carries the
// session's CSRF token; every page is served under a Content-Security-Policy that allows no
// script and no inline style. Each page is one or two calls of the application layer, which
// decides who may do what; the UI only leaves out the forms a role cannot use.
#pragma once

#include <mutex>
#include <string>

#include "app/app.h"
#include "web/http_server.h"
#include "web/server_state.h"

namespace vigil::web {

class Ui {
 public:
  Ui(App& app, std::mutex& store_mutex, ServerState state)
      : app_(app), store_mutex_(store_mutex), state_(state) {}

  // A request for a page (anything outside /api/, /metrics and /healthz). `route` is set to
  // the pattern that answered, for the metrics.
  Response Handle(const Request& request, std::string& route);
  // The page routes (for `vigil serve --routes`).
  static std::vector<std::pair<std::string, std::string>> Routes();
  // True for the upload form's POST, whose body is spooled to a file.
  static bool Spools(const std::string& method, const std::string& path);

 private:
  App& app_;
  std::mutex& store_mutex_;
  ServerState state_;
};

}  // namespace vigil::web
