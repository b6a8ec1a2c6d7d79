#include "ingest/json_value.h"

#include <charconv>

#include "core/text.h"

namespace vigil {

using json = nlohmann::json;

const json* JsonGet(const json& obj, const char* key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string JsonStringAt(const json& obj, const char* key) {
  const json* v = JsonGet(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

std::optional<int64_t> JsonIntAt(const json& obj, const char* key) {
  const json* v = JsonGet(obj, key);
  if (v == nullptr || !v->is_number_integer()) {
    return std::nullopt;
  }
  return v->get<int64_t>();
}

const json& JsonArrayAt(const json& obj, const char* key) {
  static const json kEmpty = json::array();
  const json* v = JsonGet(obj, key);
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

std::optional<double> JsonNumberOf(const json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (!value.is_string()) {
    return std::nullopt;
  }
  std::string_view s = TrimSpace(value.get_ref<const std::string&>());
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return d;
}

std::string JsonTextOf(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string JsonKind(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    default:
      return "binary data";
  }
}

std::string JsonAt(JsonPosition at) {
  return std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
}

}  // namespace vigil
