// Typed reading of one object of a package scanner's JSON report (Trivy, Grype). A field of
// the wrong type is reported as a Diagnostic (at the object's position, under its record)
// and read as absent, so one odd field never stops an import.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "ingest/diagnostics.h"
#include "ingest/json_stream.h"

namespace vigil {

class FieldReader {
 public:
  // `object` must outlive this; a value that is not an object reads as an empty one.
  // Diagnostics go to `out` with `record`; field names are shown as `prefix` + key.
  FieldReader(const nlohmann::json& object, JsonPosition at, std::string record,
              std::vector<Diagnostic>& out, std::string prefix = "");

  // Present and not null.
  bool Has(std::string_view key) const;
  // The string, trimmed; "" when absent, null or (with a diagnostic) not a string.
  std::string String(std::string_view key);
  // A string field that must be there: "" with a diagnostic "… <what> skipped" otherwise.
  std::string Required(std::string_view key, std::string_view what);
  // The non-empty strings of an array of strings; other elements are reported and skipped.
  std::vector<std::string> Strings(std::string_view key);
  // The array, or nullptr when absent, null or (with a diagnostic) not an array.
  const nlohmann::json* Array(std::string_view key);
  // The fields of a nested object (empty when absent, null or not an object).
  FieldReader Object(std::string_view key);
  // The fields of another object (an array element), under the same record, with field
  // names `name` + "." + key.
  FieldReader Element(const nlohmann::json& value, std::string_view name);
  // A number in [0, max]; anything else is reported and ignored.
  std::optional<double> Score(std::string_view key, double max = 10.0);
  // An ISO-8601 time; anything else is reported and ignored.
  std::optional<Timestamp> Time(std::string_view key);

  void Warn(std::string_view key, std::string message);
  const nlohmann::json& json() const { return object_; }
  JsonPosition at() const { return at_; }

 private:
  const nlohmann::json* Find(std::string_view key) const;
  std::string Name(std::string_view key) const { return prefix_ + std::string(key); }

  const nlohmann::json& object_;
  JsonPosition at_;
  std::string record_;
  std::vector<Diagnostic>& out_;
  std::string prefix_;
};

// A JSON value's type for messages: "null", "a number", "an array", ...
std::string JsonTypeWord(const nlohmann::json& value);

}  // namespace vigil
