#include "cvss/cvss_vector.h"

#include <optional>

namespace vigil::cvss {
namespace {

constexpr std::string_view kPrefix = "CVSS:";
constexpr size_t kMaxEcho = 120;

// The vector as quoted in messages: bounded, with control characters made visible.
std::string Echo(std::string_view vector) {
  std::string out;
  std::string_view shown = vector.substr(0, kMaxEcho);
  out.reserve(shown.size() + 3);
  for (char c : shown) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (vector.size() > kMaxEcho) {
    out += "...";
  }
  return out;
}

// "<vector>: position <pos>: <component>: <problem>"; pos is 0-based here.
Status Fail(std::string_view vector, size_t pos, std::string_view component,
            const std::string& problem) {
  std::string message = Echo(vector) + ": position " + std::to_string(pos + 1) + ": ";
  if (!component.empty()) {
    message += Echo(component) + ": ";
  }
  return InvalidInput(message + problem);
}

std::string Describe(const MetricDef& metric) {
  return std::string(metric.abbrev) + " (" + std::string(metric.name) + ")";
}

// "L or H", "N, A, L or P".
std::string ExpectedValues(const MetricDef& metric) {
  std::string out;
  for (size_t i = 0; i < metric.values.size(); ++i) {
    if (i > 0) {
      out += (i + 1 == metric.values.size()) ? " or " : ", ";
    }
    out += metric.values[i];
  }
  return out;
}

int FindMetric(std::span<const MetricDef> table, std::string_view abbrev) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].abbrev == abbrev) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool StartsWithCvssIgnoringCase(std::string_view s) {
  if (s.size() < 4) {
    return false;
  }
  for (size_t i = 0; i < 4; ++i) {
    if ((s[i] & ~0x20) != "CVSS"[i]) {
      return false;
    }
  }
  return true;
}

struct Detected {
  Version version;
  size_t body;  // offset of the first metric
};

Result<Detected> DetectVersion(std::string_view vector) {
  if (!StartsWithCvssIgnoringCase(vector)) {
    return Detected{Version::kV2, 0};
  }
  size_t slash = vector.find('/');
  std::string_view prefix = vector.substr(0, slash);
  std::optional<Version> version;
  if (prefix == "CVSS:3.0") {
    version = Version::kV30;
  } else if (prefix == "CVSS:3.1") {
    version = Version::kV31;
  } else if (prefix == "CVSS:4.0") {
    version = Version::kV40;
  }
  if (!version) {
    std::string what = prefix.starts_with(kPrefix)
                           ? "unsupported CVSS version '" + Echo(prefix.substr(5)) + "'"
                           : std::string("malformed prefix");
    return Fail(vector, 0, prefix,
                what +
                    ", expected CVSS:3.0, CVSS:3.1 or CVSS:4.0 (CVSS v2 vectors have no "
                    "prefix)");
  }
  if (slash == std::string_view::npos) {
    return Fail(vector, 0, prefix, "no metrics after the prefix");
  }
  return Detected{*version, slash + 1};
}

class Parser {
 public:
  Parser(std::string_view vector, Version version) : vector_(vector), table_(MetricsOf(version)) {
    parsed_.version = version;
  }

  Result<ParsedVector> Run(size_t body) {
    if (body == vector_.size()) {
      return Fail(vector_, body - 1, "", "trailing '/'");
    }
    size_t pos = body;
    while (true) {
      size_t slash = vector_.find('/', pos);
      size_t end = slash == std::string_view::npos ? vector_.size() : slash;
      RETURN_IF_ERROR(Component(pos, vector_.substr(pos, end - pos)));
      if (slash == std::string_view::npos) {
        break;
      }
      if (slash + 1 == vector_.size()) {
        return Fail(vector_, slash, "", "trailing '/'");
      }
      pos = slash + 1;
    }
    RETURN_IF_ERROR(CheckMandatory());
    return parsed_;
  }

 private:
  Status Component(size_t pos, std::string_view component) {
    if (component.empty()) {
      return Fail(vector_, pos, "", "empty component (two '/' in a row or a leading '/')");
    }
    size_t colon = component.find(':');
    if (colon == std::string_view::npos) {
      return Fail(vector_, pos, component, "expected METRIC:VALUE");
    }
    std::string_view abbrev = component.substr(0, colon);
    std::string_view value = component.substr(colon + 1);
    int m = FindMetric(table_, abbrev);
    if (m < 0) {
      return Fail(vector_, pos, component, UnknownMetric(abbrev));
    }
    const MetricDef& metric = table_[m];
    if (parsed_.Has(m)) {
      return Fail(vector_, pos, component,
                  "duplicate metric " + Describe(metric) + ", first given at position " +
                      std::to_string(first_pos_[m] + 1));
    }
    if (parsed_.version == Version::kV40 && m < last_) {
      return Fail(vector_, pos, component,
                  "out of order: " + std::string(metric.abbrev) + " must come before " +
                      std::string(table_[last_].abbrev) +
                      " (CVSS 4.0 requires the metric order of its specification)");
    }
    int v = ValueIndex(metric, value);
    if (v < 0) {
      std::string what = value.empty() ? "missing value" : "unknown value '" + Echo(value) + "'";
      return Fail(vector_, pos, component,
                  what + " for " + Describe(metric) + ", expected " + ExpectedValues(metric));
    }
    parsed_.value[m] = static_cast<uint8_t>(v);
    parsed_.present |= 1u << m;
    first_pos_[m] = static_cast<uint32_t>(pos);
    last_ = m;
    return Status::Ok();
  }

  std::string UnknownMetric(std::string_view abbrev) const {
    std::string message = "unknown metric '" + Echo(abbrev) + "' in a CVSS " +
                          std::string(VersionName(parsed_.version)) + " vector";
    if (parsed_.version == Version::kV2 && (FindMetric(MetricsOf(Version::kV31), abbrev) >= 0 ||
                                            FindMetric(MetricsOf(Version::kV40), abbrev) >= 0)) {
      message += " (CVSS v3 and v4 vectors start with 'CVSS:3.1/', 'CVSS:3.0/' or 'CVSS:4.0/')";
    }
    return message;
  }

  Status CheckMandatory() const {
    std::string missing;
    for (size_t m = 0; m < table_.size(); ++m) {
      if (table_[m].mandatory && !parsed_.Has(static_cast<int>(m))) {
        missing += (missing.empty() ? "" : ", ") + Describe(table_[m]);
      }
    }
    if (missing.empty()) {
      return Status::Ok();
    }
    return Fail(vector_, vector_.size(), "", "end of vector: missing mandatory metric " + missing);
  }

  std::string_view vector_;
  std::span<const MetricDef> table_;
  ParsedVector parsed_;
  std::array<uint32_t, kMaxMetrics> first_pos_{};
  int last_ = 0;
};

}  // namespace

std::string_view VersionName(Version version) {
  switch (version) {
    case Version::kV2:
      return "2.0";
    case Version::kV30:
      return "3.0";
    case Version::kV31:
      return "3.1";
    case Version::kV40:
      return "4.0";
  }
  return "?";
}

bool ParsedVector::Defined(int metric) const {
  return Has(metric) && (MetricsOf(version)[metric].mandatory || value[metric] != 0);
}

bool ParsedVector::AnyDefined(int first, int last) const {
  for (int m = first; m <= last; ++m) {
    if (Defined(m)) {
      return true;
    }
  }
  return false;
}

std::string_view ParsedVector::Text(int metric) const {
  return MetricsOf(version)[metric].values[value[metric]];
}

Result<ParsedVector> ParseVector(std::string_view vector) {
  if (vector.empty()) {
    return InvalidInput("empty CVSS vector");
  }
  ASSIGN_OR_RETURN(Detected detected, DetectVersion(vector));
  return Parser(vector, detected.version).Run(detected.body);
}

std::string NormalizeVector(const ParsedVector& parsed) {
  std::string out;
  out.reserve(160);  // the longest normalized v4 vector is 190 bytes, most under 100
  if (parsed.version != Version::kV2) {
    out += kPrefix;
    out += VersionName(parsed.version);
  }
  std::span<const MetricDef> table = MetricsOf(parsed.version);
  for (size_t m = 0; m < table.size(); ++m) {
    if (!parsed.Defined(static_cast<int>(m))) {
      continue;
    }
    if (!out.empty()) {
      out += '/';
    }
    out += table[m].abbrev;
    out += ':';
    out += parsed.Text(static_cast<int>(m));
  }
  return out;
}

}  // namespace vigil::cvss
