// Reading TOML tables of the configuration file with positions in every message: each key
// read is remembered so that the keys nobody read (typos) are refused. Shared by the readers
// of the file's sections (config_file.cc, notify_config.cc).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// toml++ 3.3.0 asserts, instead of reporting, a table header whose key starts with a character
// no key may start with ("[\0", "[[[1]]]": marzer/tomlplusplus#301), so a build without NDEBUG
// (the sanitizer and fuzz builds) would abort on such a file. The parser reports the error
// right after the assertion; its assertions are off in every build, as NDEBUG turns them off.
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>

#include "core/duration.h"
#include "core/status.h"

namespace vigil::config {

inline std::string Where(const std::string& path, const toml::source_region& at) {
  return path + ":" + std::to_string(at.begin.line) + ":" + std::to_string(at.begin.column);
}

// Reads the keys of one table, remembering which were read so that the rest can be refused.
class Fields {
 public:
  Fields(const toml::table& table, std::string what, const std::string& path)
      : table_(table), what_(std::move(what)), path_(path) {}

  Status Error(const toml::node& node, const std::string& message) const {
    return InvalidInput(Where(path_, node.source()) + ": " + message);
  }

  const toml::node* Get(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }

  Result<std::string> String(std::string_view key, bool required = false) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      if (required) {
        return InvalidInput(Where(path_, table_.source()) + ": " + what_ + " needs '" +
                            std::string(key) + "'");
      }
      return std::string();
    }
    if (!n->is_string()) {
      return Error(*n, what_ + "." + std::string(key) + " must be a string");
    }
    return n->as_string()->get();
  }

  // A string, or an array of strings.
  Result<std::vector<std::string>> Strings(std::string_view key) {
    const toml::node* n = Get(key);
    std::vector<std::string> out;
    if (n == nullptr) {
      return out;
    }
    if (n->is_string()) {
      out.push_back(n->as_string()->get());
      return out;
    }
    if (const toml::array* a = n->as_array()) {
      for (const toml::node& item : *a) {
        if (!item.is_string()) {
          return Error(item, what_ + "." + std::string(key) + " must hold strings");
        }
        out.push_back(item.as_string()->get());
      }
      return out;
    }
    return Error(*n, what_ + "." + std::string(key) + " must be a string or an array of strings");
  }

  Result<std::optional<std::chrono::seconds>> Duration(std::string_view key) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      return std::optional<std::chrono::seconds>();
    }
    if (!n->is_string()) {
      return Error(*n, what_ + "." + std::string(key) +
                           " must be a duration in quotes, e.g. \"7d\" or \"36h\"");
    }
    auto d = ParseDuration(n->as_string()->get());
    if (!d.ok()) {
      return Error(*n, what_ + "." + std::string(key) + ": " + d.status().message());
    }
    return std::optional(*d);
  }

  Result<std::optional<double>> Number(std::string_view key) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      return std::optional<double>();
    }
    if (auto v = n->value<double>()) {
      return std::optional(*v);
    }
    return Error(*n, what_ + "." + std::string(key) + " must be a number");
  }

  Result<std::optional<int64_t>> Integer(std::string_view key) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      return std::optional<int64_t>();
    }
    if (!n->is_integer()) {
      return Error(*n, what_ + "." + std::string(key) + " must be a whole number");
    }
    return std::optional(n->as_integer()->get());
  }

  Result<std::optional<bool>> Bool(std::string_view key) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      return std::optional<bool>();
    }
    if (!n->is_boolean()) {
      return Error(*n, what_ + "." + std::string(key) + " must be true or false");
    }
    return std::optional(n->as_boolean()->get());
  }

  // A sub-table, or nullptr when absent.
  Result<const toml::table*> Table(std::string_view key) {
    const toml::node* n = Get(key);
    if (n == nullptr) {
      return static_cast<const toml::table*>(nullptr);
    }
    if (!n->is_table()) {
      return Error(*n, "'" + std::string(key) + "' must be a [" + std::string(key) + "] table");
    }
    return n->as_table();
  }

  const toml::table& table() const { return table_; }
  // What the table is called in messages, e.g. "[[notify.alert]]".
  const std::string& What() const { return what_; }

  // Refuses every key that was not read.
  Status Done() const {
    for (const auto& [key, node] : table_) {
      if (!seen_.count(std::string(key.str()))) {
        return InvalidInput(Where(path_, key.source()) + ": unknown key '" +
                            std::string(key.str()) + "' in " + what_);
      }
    }
    return Status::Ok();
  }

 private:
  const toml::table& table_;
  std::string what_;
  const std::string& path_;
  std::set<std::string> seen_;
};

// Each element of an array of tables ([[name]]), or an error when `name` is something else.
inline Result<std::vector<const toml::table*>> TablesOf(Fields& top, std::string_view name) {
  std::vector<const toml::table*> out;
  const toml::node* n = top.Get(name);
  if (n == nullptr) {
    return out;
  }
  const toml::array* a = n->as_array();
  if (a == nullptr) {
    return top.Error(
        *n, "'" + std::string(name) + "' must be written as [[" + std::string(name) + "]] tables");
  }
  for (const toml::node& item : *a) {
    if (!item.is_table()) {
      return top.Error(item, "each '" + std::string(name) + "' must be a table");
    }
    out.push_back(item.as_table());
  }
  return out;
}

}  // namespace vigil::config
