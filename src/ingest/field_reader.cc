#include "ingest/field_reader.h"

#include "core/text.h"

namespace vigil {
namespace {

const nlohmann::json& EmptyObject() {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  return kEmpty;
}

}  // namespace

std::string JsonTypeWord(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unexpected value";
  }
}

FieldReader::FieldReader(const nlohmann::json& object, JsonPosition at, std::string record,
                         std::vector<Diagnostic>& out, std::string prefix)
    : object_(object.is_object() ? object : EmptyObject()),
      at_(at),
      record_(std::move(record)),
      out_(out),
      prefix_(std::move(prefix)) {}

const nlohmann::json* FieldReader::Find(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

bool FieldReader::Has(std::string_view key) const {
  return Find(key) != nullptr;
}

void FieldReader::Warn(std::string_view key, std::string message) {
  std::string field = key.empty() ? prefix_ : Name(key);
  if (!field.empty() && field.back() == '.') {
    field.pop_back();
  }
  out_.push_back(Diagnostic{.line = at_.line,
                            .column = at_.column,
                            .record = record_,
                            .field = std::move(field),
                            .message = std::move(message)});
}

std::string FieldReader::String(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return "";
  }
  if (!v->is_string()) {
    Warn(key, "is " + JsonTypeWord(*v) + ", not a string; ignored");
    return "";
  }
  return std::string(TrimSpace(v->get_ref<const std::string&>()));
}

std::string FieldReader::Required(std::string_view key, std::string_view what) {
  const nlohmann::json* v = Find(key);
  std::string problem;
  std::string s;
  if (v == nullptr) {
    problem = "missing";
  } else if (!v->is_string()) {
    problem = "is " + JsonTypeWord(*v) + ", not a string";
  } else {
    s = std::string(TrimSpace(v->get_ref<const std::string&>()));
    if (s.empty()) {
      problem = "empty";
    }
  }
  if (!problem.empty()) {
    Warn(key, problem + "; " + std::string(what) + " skipped");
  }
  return s;
}

std::vector<std::string> FieldReader::Strings(std::string_view key) {
  std::vector<std::string> out;
  const nlohmann::json* a = Array(key);
  if (a == nullptr) {
    return out;
  }
  for (const auto& e : *a) {
    if (!e.is_string()) {
      Warn(key, "holds " + JsonTypeWord(e) + ", not a string; that element ignored");
      continue;
    }
    std::string_view s = TrimSpace(e.get_ref<const std::string&>());
    if (!s.empty()) {
      out.emplace_back(s);
    }
  }
  return out;
}

const nlohmann::json* FieldReader::Array(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_array()) {
    Warn(key, "is " + JsonTypeWord(*v) + ", not an array; ignored");
    return nullptr;
  }
  return v;
}

FieldReader FieldReader::Object(std::string_view key) {
  const nlohmann::json* v = Find(key);
  if (v != nullptr && !v->is_object()) {
    Warn(key, "is " + JsonTypeWord(*v) + ", not an object; ignored");
    v = nullptr;
  }
  return FieldReader(v != nullptr ? *v : EmptyObject(), at_, record_, out_, Name(key) + ".");
}

FieldReader FieldReader::Element(const nlohmann::json& value, std::string_view name) {
  return FieldReader(value, at_, record_, out_, Name(name) + ".");
}

std::optional<double> FieldReader::Score(std::string_view key, double max) {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_number()) {
    Warn(key, "is " + JsonTypeWord(*v) + ", not a number; ignored");
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!(d >= 0.0 && d <= max)) {
    Warn(key, v->dump() + " is not a score in 0.." + (max == 1.0 ? "1" : "10") + "; ignored");
    return std::nullopt;
  }
  return d;
}

std::optional<Timestamp> FieldReader::Time(std::string_view key) {
  std::string text = String(key);
  if (text.empty()) {
    return std::nullopt;
  }
  auto t = ParseIso8601(text);
  if (!t.ok()) {
    Warn(key, t.status().message() + "; ignored");
    return std::nullopt;
  }
  return *t;
}

}  // namespace vigil
