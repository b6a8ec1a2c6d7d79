// Lenient reads of values from nlohmann JSON, for the SARIF and CycloneDX parsers: a missing
// field, a null and a value of another type all read as "absent"; the caller decides which
// of those deserve a diagnostic. (field_reader.h is the warning-per-field reader the Trivy and
// Grype parsers use.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ingest/json_stream.h"

namespace vigil {

// obj[key] when obj is an object holding a non-null value there, else nullptr.
const nlohmann::json* JsonGet(const nlohmann::json& obj, const char* key);

// obj[key] when it is a string, else "".
std::string JsonStringAt(const nlohmann::json& obj, const char* key);

// obj[key] when it is an integer, else nullopt.
std::optional<int64_t> JsonIntAt(const nlohmann::json& obj, const char* key);

// obj[key] when it is an array, else an empty array (so that it can be looped over).
const nlohmann::json& JsonArrayAt(const nlohmann::json& obj, const char* key);

// A number written as a JSON number or as a string ("7.5"); nullopt for anything else.
std::optional<double> JsonNumberOf(const nlohmann::json& value);

// A string as it is, any other value as its JSON text.
std::string JsonTextOf(const nlohmann::json& value);

// "an object", "an array", "a string", "a number", "a boolean" or "null", for messages.
std::string JsonKind(const nlohmann::json& value);

// "LINE:COLUMN: ", the prefix of an error at `at`.
std::string JsonAt(JsonPosition at);

}  // namespace vigil
