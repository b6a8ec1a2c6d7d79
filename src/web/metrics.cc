#include "web/metrics.h"

#include <charconv>
#include <set>
#include <sstream>

namespace vigil::web {
namespace {

// A label value with backslash, double quote and newline escaped (the exposition format).
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// The shortest text that reads back as `v` ("0.005", not "0.0050000000000000001").
std::string Number(double v) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("NaN");
}

void Header(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

double Seconds(Timestamp t) {
  return static_cast<double>(ToUnixSeconds(t));
}

}  // namespace

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++counts[i];
    }
  }
  ++count;
  sum += seconds;
}

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status,
                             double seconds) {
  // Methods are the client's words: others than HTTP's are counted together.
  static const std::set<std::string> kMethods = {"GET",    "HEAD",    "POST", "PUT",
                                                 "DELETE", "OPTIONS", "PATCH"};
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, kMethods.count(method) != 0 ? method : "other", status}];
  request_seconds_[route].Observe(seconds);
}

void Metrics::ObserveImport(const std::string& outcome, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++imports_[outcome];
  import_seconds_.Observe(seconds);
}

std::string Metrics::Render(const Overview& o) const {
  std::ostringstream out;
  Header(out, "vigil_open_vulnerabilities", "gauge",
         "Distinct vulnerabilities with an open finding, by class (or unclassified).");
  for (const auto& [cls, n] : o.open_by_class) {
    out << "vigil_open_vulnerabilities{class=\"" << Label(cls) << "\"} " << n << '\n';
  }
  out << "vigil_open_vulnerabilities{class=\"unclassified\"} " << o.unclassified << '\n';
  Header(out, "vigil_clocks", "gauge",
         "Compliance clocks running now, by rule of the policy and status (open, due_soon, "
         "overdue).");
  for (const auto& r : o.clocks) {
    std::string rule = Label(r.rule);
    out << "vigil_clocks{rule=\"" << rule << "\",status=\"open\"} " << r.open << '\n'
        << "vigil_clocks{rule=\"" << rule << "\",status=\"due_soon\"} " << r.due_soon << '\n'
        << "vigil_clocks{rule=\"" << rule << "\",status=\"overdue\"} " << r.overdue << '\n';
  }
  Header(out, "vigil_scanner_last_scan_timestamp_seconds", "gauge",
         "When the scanner's last imported scan ended (Unix time); absent before any scan.");
  for (const auto& s : o.scanners) {
    if (s.last_scan) {
      out << "vigil_scanner_last_scan_timestamp_seconds{scanner=\"" << Label(s.name) << "\"} "
          << Number(Seconds(*s.last_scan)) << '\n';
    }
  }
  Header(out, "vigil_scanner_due_timestamp_seconds", "gauge",
         "When the scanner's next scan is due at the latest (cadence plus grace; Unix time).");
  for (const auto& s : o.scanners) {
    if (s.due_by) {
      out << "vigil_scanner_due_timestamp_seconds{scanner=\"" << Label(s.name) << "\"} "
          << Number(Seconds(*s.due_by)) << '\n';
    }
  }
  Header(out, "vigil_scanner_stale", "gauge",
         "1 when the scanner is past its cadence plus grace, else 0.");
  for (const auto& s : o.scanners) {
    out << "vigil_scanner_stale{scanner=\"" << Label(s.name) << "\"} " << (s.stale ? 1 : 0) << '\n';
  }
  Header(out, "vigil_scanner_silent_agents", "gauge",
         "Assets an agent scanner used to scan that have not reported within cadence plus "
         "grace.");
  for (const auto& s : o.scanners) {
    out << "vigil_scanner_silent_agents{scanner=\"" << Label(s.name) << "\"} " << s.silent_agents
        << '\n';
  }
  Header(out, "vigil_decisions_pending", "gauge", "Decisions awaiting a second person.");
  out << "vigil_decisions_pending " << o.pending_decisions << '\n';
  RenderCounters(out);
  return out.str();
}

void Metrics::RenderCounters(std::ostringstream& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Header(out, "vigil_imports_total", "counter",
         "Scan imports through the API since the server started, by outcome.");
  for (const char* outcome : {"imported", "already_imported", "rejected"}) {
    auto it = imports_.find(outcome);
    out << "vigil_imports_total{outcome=\"" << outcome << "\"} "
        << (it == imports_.end() ? 0 : it->second) << '\n';
  }
  auto histogram = [&](const std::string& name, const std::string& labels, const Histogram& h) {
    std::string sep = labels.empty() ? "" : ",";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << name << "_bucket{" << labels << sep << "le=\"" << Number(kBuckets[i]) << "\"} "
          << h.counts[i] << '\n';
    }
    out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count << '\n';
    std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out << name << "_sum" << braces << ' ' << Number(h.sum) << '\n';
    out << name << "_count" << braces << ' ' << h.count << '\n';
  };
  Header(out, "vigil_import_duration_seconds", "histogram",
         "How long scan imports through the API took.");
  histogram("vigil_import_duration_seconds", "", import_seconds_);
  Header(out, "vigil_http_requests_total", "counter",
         "HTTP requests since the server started, by route, method and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "vigil_http_requests_total{route=\"" << Label(route) << "\",method=\"" << Label(method)
        << "\",status=\"" << status << "\"} " << n << '\n';
  }
  Header(out, "vigil_http_request_duration_seconds", "histogram",
         "How long requests took to answer, by route.");
  for (const auto& [route, h] : request_seconds_) {
    histogram("vigil_http_request_duration_seconds", "route=\"" + Label(route) + "\"", h);
  }
}

}  // namespace vigil::web
