#include "config/config_file.h"

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "core/duration.h"
#include "core/scanner_kind.h"

namespace vigil {
namespace {

constexpr size_t kMaxConfigBytes = 4 << 20;

std::string Where(const std::string& path, const toml::source_region& at) {
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
Result<std::vector<const toml::table*>> TablesOf(Fields& top, std::string_view name) {
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

Status ReadScanners(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(auto tables, TablesOf(top, "scanner"));
  std::set<std::string> names;
  for (const toml::table* t : tables) {
    Fields f(*t, "[[scanner]]", path);
    ScannerConfig s;
    ASSIGN_OR_RETURN(s.name, f.String("name", true));
    ASSIGN_OR_RETURN(s.kind, f.String("kind", true));
    ASSIGN_OR_RETURN(s.cadence, f.Duration("cadence"));
    ASSIGN_OR_RETURN(auto grace, f.Duration("grace"));
    RETURN_IF_ERROR(f.Done());
    if (s.name.empty()) {
      return f.Error(*t->get("name"), "[[scanner]].name must not be empty");
    }
    if (!IsScannerKind(s.kind)) {
      return f.Error(*t->get("kind"),
                     "[[scanner]].kind must be agent, network, external, "
                     "container or code, not '" +
                         s.kind + "'");
    }
    if (s.cadence && s.cadence->count() <= 0) {
      return f.Error(*t->get("cadence"), "[[scanner]].cadence must be longer than zero");
    }
    if (!names.insert(s.name).second) {
      return f.Error(*t, "scanner '" + s.name + "' is declared twice");
    }
    s.grace = grace.value_or(std::chrono::seconds(0));
    config.scanners.push_back(std::move(s));
  }
  return Status::Ok();
}

Status ReadAssetRules(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(auto tables, TablesOf(top, "asset_rule"));
  for (const toml::table* t : tables) {
    Fields f(*t, "[[asset_rule]]", path);
    AssetRule r;
    r.line = static_cast<int>(t->source().begin.line);
    ASSIGN_OR_RETURN(auto networks, f.Strings("cidr"));
    ASSIGN_OR_RETURN(r.name_patterns, f.Strings("name"));
    ASSIGN_OR_RETURN(r.zone, f.String("zone"));
    ASSIGN_OR_RETURN(r.site, f.String("site"));
    ASSIGN_OR_RETURN(r.owner, f.String("owner"));
    RETURN_IF_ERROR(f.Done());
    for (const auto& text : networks) {
      auto cidr = Cidr::Parse(text);
      if (!cidr.ok()) {
        return f.Error(*t->get("cidr"), "[[asset_rule]].cidr: " + cidr.status().message());
      }
      r.networks.push_back(*cidr);
    }
    if (r.networks.empty() && r.name_patterns.empty()) {
      return f.Error(*t, "[[asset_rule]] needs 'cidr' or 'name' to say which assets it labels");
    }
    if (r.zone.empty() && r.site.empty() && r.owner.empty()) {
      return f.Error(*t, "[[asset_rule]] sets no label: give 'zone', 'site' or 'owner'");
    }
    config.asset_rules.push_back(std::move(r));
  }
  return Status::Ok();
}

Status ReadZoneRules(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(auto tables, TablesOf(top, "zone"));
  std::set<std::string> zones;
  for (const toml::table* t : tables) {
    Fields f(*t, "[[zone]]", path);
    ZoneScanRule z;
    ASSIGN_OR_RETURN(z.zone, f.String("name", true));
    ASSIGN_OR_RETURN(auto every, f.Duration("scan_every"));
    ASSIGN_OR_RETURN(z.scanners, f.Strings("scanners"));
    ASSIGN_OR_RETURN(z.kinds, f.Strings("kinds"));
    ASSIGN_OR_RETURN(z.requirement, f.String("requirement"));
    RETURN_IF_ERROR(f.Done());
    if (!every || every->count() <= 0) {
      return f.Error(*t, "[[zone]] '" + z.zone + "' needs scan_every, a duration such as \"90d\"");
    }
    z.every = *every;
    for (const auto& kind : z.kinds) {
      if (!IsScannerKind(kind)) {
        return f.Error(*t->get("kinds"), "[[zone]].kinds: unknown scanner kind '" + kind + "'");
      }
    }
    if (!zones.insert(z.zone).second) {
      return f.Error(*t, "zone '" + z.zone + "' is declared twice");
    }
    config.zone_rules.push_back(std::move(z));
  }
  return Status::Ok();
}

Status ReadCheck(Fields& top, const std::string& path, Config& config) {
  const toml::node* n = top.Get("check");
  if (n == nullptr) {
    return Status::Ok();
  }
  if (!n->is_table()) {
    return top.Error(*n, "'check' must be a [check] table");
  }
  Fields f(*n->as_table(), "[check]", path);
  ASSIGN_OR_RETURN(auto stale_after, f.Duration("stale_after"));
  ASSIGN_OR_RETURN(auto coverage_window, f.Duration("coverage_window"));
  RETURN_IF_ERROR(f.Done());
  config.check.stale_after = stale_after.value_or(config.check.stale_after);
  config.check.coverage_window = coverage_window.value_or(config.check.coverage_window);
  return Status::Ok();
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidInput(Where(path, e.source()) + ": " + std::string(e.description()));
  }
  Config config;
  config.path = path;
  Fields top(root, "the configuration", path);
  RETURN_IF_ERROR(ReadCheck(top, path, config));
  RETURN_IF_ERROR(ReadScanners(top, path, config));
  RETURN_IF_ERROR(ReadAssetRules(top, path, config));
  RETURN_IF_ERROR(ReadZoneRules(top, path, config));
  RETURN_IF_ERROR(top.Done());
  return config;
}

Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("cannot read configuration file '" + path + "'");
  }
  std::string text;
  text.resize(kMaxConfigBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    return InvalidInput(path + ": configuration file larger than 4 MiB");
  }
  return ParseConfig(text, path);
}

}  // namespace vigil
