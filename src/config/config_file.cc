#include "config/config_file.h"

#include <sys/stat.h>

#include <set>
#include "config/notify_config.h"
#include "config/toml_fields.h"

#include "config/toml_guard.h"
#include "core/duration.h"
#include "core/policy_profiles.h"
#include "core/scanner_kind.h"
#include "core/sha256.h"
#include "core/text.h"
#include "ingest/input_file.h"

namespace vigil {
namespace {

using config::Fields;
using config::TablesOf;
using config::Where;

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
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("check"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[check]", path);
  ASSIGN_OR_RETURN(auto stale_after, f.Duration("stale_after"));
  ASSIGN_OR_RETURN(auto coverage_window, f.Duration("coverage_window"));
  RETURN_IF_ERROR(f.Done());
  config.check.stale_after = stale_after.value_or(config.check.stale_after);
  config.check.coverage_window = coverage_window.value_or(config.check.coverage_window);
  return Status::Ok();
}

Status ReadImport(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("import"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[import]", path);
  ASSIGN_OR_RETURN(auto min_qod, f.Integer("min_qod"));
  if (min_qod && (*min_qod < 0 || *min_qod > 100)) {
    return f.Error(*t->get("min_qod"), "[import].min_qod must be a percentage 0..100");
  }
  RETURN_IF_ERROR(f.Done());
  config.import.min_qod = static_cast<int>(min_qod.value_or(config.import.min_qod));
  return Status::Ok();
}

Status ReadClassification(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("classification"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[classification]", path);
  if (const toml::node* n = f.Get("scale")) {
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      return f.Error(*n, "[classification].scale must be an array of {name, min_score} tables");
    }
    std::vector<ClassLevel> levels;
    for (const toml::node& item : *a) {
      if (!item.is_table()) {
        return f.Error(item,
                       "each class of the scale must be a table {name = ..., min_score = ...}");
      }
      Fields level(*item.as_table(), "a class of [classification].scale", path);
      ClassLevel l;
      ASSIGN_OR_RETURN(l.name, level.String("name", true));
      ASSIGN_OR_RETURN(auto min_score, level.Number("min_score"));
      RETURN_IF_ERROR(level.Done());
      if (!min_score || *min_score < 0 || *min_score > 10) {
        return f.Error(item, "class '" + l.name + "' needs min_score, a CVSS score 0..10");
      }
      if (l.name == kUnclassified) {
        return f.Error(item, "'unclassified' is reserved for vulnerabilities with no rating");
      }
      for (const auto& other : levels) {
        if (other.name == l.name) {
          return f.Error(item, "class '" + l.name + "' appears twice");
        }
      }
      l.min_score = *min_score;
      levels.push_back(std::move(l));
    }
    auto scale = ClassScale::Create(std::move(levels));
    if (!scale.ok()) {
      return f.Error(*n, "[classification].scale: " + scale.status().message());
    }
    config.classification.scale = *scale;
  }
  if (f.table().get("order") != nullptr) {
    ASSIGN_OR_RETURN(auto order, f.Strings("order"));
    for (const auto& source : order) {
      if (!IsRatingSource(source)) {
        return f.Error(*t->get("order"),
                       "[classification].order: unknown rating source '" + source +
                           "' (nvd-v4, nvd-v3.1, nvd-v3.0, nvd-v2, scanner-cvss-v4, "
                           "scanner-cvss-v3, scanner-cvss-v2, scanner-severity)");
      }
    }
    if (order.empty()) {
      return f.Error(*t->get("order"), "[classification].order must name at least one source");
    }
    config.classification.order = std::move(order);
  }
  return f.Done();
}

Result<ClockRule> ReadRule(const toml::table& t, const std::string& path) {
  Fields f(t, "[[policy.rule]]", path);
  ClockRule r;
  ASSIGN_OR_RETURN(r.id, f.String("id", true));
  ASSIGN_OR_RETURN(r.framework, f.String("framework"));
  ASSIGN_OR_RETURN(r.stage, f.String("stage"));
  ASSIGN_OR_RETURN(r.classes, f.Strings("classes"));
  ASSIGN_OR_RETURN(r.cvss_min, f.Number("cvss_min"));
  ASSIGN_OR_RETURN(auto kev, f.Bool("kev"));
  ASSIGN_OR_RETURN(r.zones, f.Strings("zones"));
  ASSIGN_OR_RETURN(auto anchor, f.String("anchor"));
  ASSIGN_OR_RETURN(auto within, f.Duration("within"));
  ASSIGN_OR_RETURN(auto months, f.Integer("months"));
  ASSIGN_OR_RETURN(auto stops, f.Strings("stops"));
  RETURN_IF_ERROR(f.Done());
  r.kev_only = kev.value_or(false);
  if (r.stage.empty()) {
    r.stage = "remediate";
  }
  if (r.stage != "review" && r.stage != "respond" && r.stage != "remediate") {
    return f.Error(*t.get("stage"), "stage must be review, respond or remediate");
  }
  if (r.cvss_min && (*r.cvss_min < 0 || *r.cvss_min > 10)) {
    return f.Error(*t.get("cvss_min"), "cvss_min must be a CVSS score 0..10");
  }
  if (anchor.empty() || anchor == "discovery") {
    r.anchor = ClockAnchor::kDiscovery;
  } else if (anchor == "patch") {
    r.anchor = ClockAnchor::kPatch;
  } else if (anchor == "kev-added") {
    r.anchor = ClockAnchor::kKevAdded;
  } else if (anchor == "kev-due") {
    r.anchor = ClockAnchor::kKevDue;
  } else {
    return f.Error(*t.get("anchor"), "anchor must be discovery, patch, kev-added or kev-due");
  }
  if (within && months) {
    return f.Error(t, "give either 'within' or 'months', not both");
  }
  if (r.anchor == ClockAnchor::kKevDue) {
    if (within || months) {
      return f.Error(t, "a kev-due clock has KEV's own due date; drop 'within' and 'months'");
    }
  } else if (within) {
    if (within->count() <= 0) {
      return f.Error(*t.get("within"), "'within' must be longer than zero");
    }
    r.within = *within;
  } else if (months) {
    if (*months <= 0 || *months > 120) {
      return f.Error(*t.get("months"), "'months' must be 1..120");
    }
    r.months = static_cast<int>(*months);
  } else {
    return f.Error(t, "rule '" + r.id + "' needs 'within' (a duration) or 'months'");
  }
  if (t.get("stops") != nullptr) {
    r.stops = {.fixed = false, .plan = false, .basis = false};
    for (const auto& stop : stops) {
      if (stop == "fixed") {
        r.stops.fixed = true;
      } else if (stop == "plan") {
        r.stops.plan = true;
      } else if (stop == "basis") {
        r.stops.basis = true;
      } else if (stop == "patch-harm") {
        r.stops.patch_harm = true;
      } else {
        return f.Error(*t.get("stops"),
                       "stops: unknown '" + stop + "' (fixed, plan, basis, patch-harm)");
      }
    }
    if (!r.stops.fixed && !r.stops.plan && !r.stops.basis && !r.stops.patch_harm) {
      return f.Error(*t.get("stops"),
                     "stops must name at least one of fixed, plan, basis, patch-harm");
    }
  }
  return r;
}

Status ReadPolicy(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("policy"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[policy]", path);
  Policy& p = config.policy;
  ASSIGN_OR_RETURN(p.profiles, f.Strings("profiles"));
  for (const auto& name : p.profiles) {
    auto rules = BuiltinProfile(name);
    if (!rules) {
      return f.Error(*t->get("profiles"),
                     "unknown profile '" + name + "' (" + Join(BuiltinProfileNames(), ", ") + ")");
    }
    p.rules.insert(p.rules.end(), rules->begin(), rules->end());
  }
  ASSIGN_OR_RETURN(auto rules, TablesOf(f, "rule"));
  for (const toml::table* rt : rules) {
    ASSIGN_OR_RETURN(ClockRule r, ReadRule(*rt, path));
    p.rules.push_back(std::move(r));
  }
  for (size_t i = 0; i < p.rules.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (p.rules[i].id == p.rules[j].id) {
        return f.Error(*t, "clock rule '" + p.rules[i].id + "' is defined twice");
      }
    }
  }
  ASSIGN_OR_RETURN(auto due_soon, f.Duration("due_soon"));
  ASSIGN_OR_RETURN(auto approval_overdue, f.Duration("approval_overdue"));
  ASSIGN_OR_RETURN(auto expiring_soon, f.Duration("expiring_soon"));
  RETURN_IF_ERROR(f.Done());
  p.due_soon = due_soon.value_or(p.due_soon);
  p.approval_overdue = approval_overdue.value_or(p.approval_overdue);
  p.expiring_soon = expiring_soon.value_or(p.expiring_soon);
  return Status::Ok();
}

Status ReadDecisions(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("decisions"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[decisions]", path);
  DecisionPolicy& d = config.policy.decisions;
  if (t->get("need_approval") != nullptr) {
    ASSIGN_OR_RETURN(auto types, f.Strings("need_approval"));
    d.need_approval.clear();
    for (const auto& name : types) {
      auto type = ParseDecisionType(name);
      if (!type) {
        return f.Error(*t->get("need_approval"),
                       "need_approval: unknown decision type '" + name +
                           "' (recast, false-positive, accept-risk, mitigation-plan, classify)");
      }
      d.need_approval.push_back(*type);
    }
  }
  ASSIGN_OR_RETURN(auto min_basis, f.Integer("min_basis_length"));
  ASSIGN_OR_RETURN(auto max_accept, f.Duration("max_accept_risk"));
  RETURN_IF_ERROR(f.Done());
  if (min_basis) {
    if (*min_basis < 1 || *min_basis > 10000) {
      return f.Error(*t->get("min_basis_length"), "min_basis_length must be 1..10000");
    }
    d.min_basis_length = static_cast<size_t>(*min_basis);
  }
  if (max_accept) {
    if (max_accept->count() <= 0) {
      return f.Error(*t->get("max_accept_risk"), "max_accept_risk must be longer than zero");
    }
    d.max_accept_risk = *max_accept;
  }
  return Status::Ok();
}

Status ReadReview(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("review"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[review]", path);
  ReviewPolicy& r = config.policy.review;
  ASSIGN_OR_RETURN(auto every, f.Duration("every"));
  ASSIGN_OR_RETURN(auto max_share, f.Number("max_share"));
  ASSIGN_OR_RETURN(auto share_window, f.Duration("share_window"));
  ASSIGN_OR_RETURN(auto min_decisions, f.Integer("min_decisions"));
  RETURN_IF_ERROR(f.Done());
  if (max_share && (*max_share <= 0 || *max_share > 1)) {
    return f.Error(*t->get("max_share"), "max_share must be a fraction in (0, 1], e.g. 0.8");
  }
  if (min_decisions && (*min_decisions < 1 || *min_decisions > 1000000)) {
    return f.Error(*t->get("min_decisions"), "min_decisions must be 1 or more");
  }
  r.min_decisions = static_cast<int>(min_decisions.value_or(r.min_decisions));
  r.every = every.value_or(r.every);
  r.max_share = max_share.value_or(r.max_share);
  r.share_window = share_window.value_or(r.share_window);
  return Status::Ok();
}

Status ReadAudit(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("audit"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[audit]", path);
  ASSIGN_OR_RETURN(config.audit.key_file, f.String("key_file"));
  ASSIGN_OR_RETURN(config.audit.origin, f.String("origin"));
  ASSIGN_OR_RETURN(config.audit.tsa_url, f.String("tsa_url"));
  ASSIGN_OR_RETURN(config.audit.tsa_certificate, f.String("tsa_certificate"));
  RETURN_IF_ERROR(f.Done());
  const std::string& url = config.audit.tsa_url;
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return f.Error(*t->get("tsa_url"), "[audit].tsa_url must be an http:// or https:// URL");
  }
  if (!url.empty() && config.audit.tsa_certificate.empty()) {
    return f.Error(*t->get("tsa_url"),
                   "[audit].tsa_url needs tsa_certificate: the PEM file its tokens are "
                   "checked against");
  }
  for (char c : config.audit.origin) {
    if (static_cast<unsigned char>(c) < 0x21 || c == '+') {
      return f.Error(*t->get("origin"),
                     "[audit].origin must have no spaces, control characters "
                     "or '+', e.g. \"audit.example-ca.net/vigil\"");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  RETURN_IF_ERROR(CheckTomlppCanParse(text, path));
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidInput(Where(path, e.source()) + ": " + std::string(e.description()));
  }
  Config config;
  config.path = path;
  config.sha256 = Sha256Hex(text);
  Fields top(root, "the configuration", path);
  RETURN_IF_ERROR(ReadCheck(top, path, config));
  RETURN_IF_ERROR(ReadImport(top, path, config));
  RETURN_IF_ERROR(ReadScanners(top, path, config));
  RETURN_IF_ERROR(ReadAssetRules(top, path, config));
  RETURN_IF_ERROR(ReadZoneRules(top, path, config));
  RETURN_IF_ERROR(ReadClassification(top, path, config));
  RETURN_IF_ERROR(ReadPolicy(top, path, config));
  RETURN_IF_ERROR(ReadDecisions(top, path, config));
  RETURN_IF_ERROR(ReadReview(top, path, config));
  RETURN_IF_ERROR(ReadAudit(top, path, config));
  RETURN_IF_ERROR(config::ReadNotify(top, path, config));
  RETURN_IF_ERROR(top.Done());
  // Rules name classes of the scale; a renamed scale needs rules of its own.
  for (const auto& rule : config.policy.rules) {
    for (const auto& c : rule.classes) {
      if (!config.classification.scale.Contains(c)) {
        return InvalidInput(path + ": clock rule '" + rule.id + "' names the class '" + c +
                            "', which is not on the classification scale; with a renamed "
                            "scale, write [[policy.rule]] tables instead of that profile");
      }
    }
  }
  return config;
}

Result<ConfigFile> ReadConfigFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return InvalidInput("cannot read configuration file '" + path + "': it does not exist");
  }
  // Regular files only, opened without blocking (ingest/input_file.h).
  ConfigFile file;
  ASSIGN_OR_RETURN(file.text, ReadInputText(path, InputKind::kConfig));
  ASSIGN_OR_RETURN(file.config, ParseConfig(file.text, path));
  return file;
}

Result<Config> LoadConfigFile(const std::string& path) {
  ASSIGN_OR_RETURN(ConfigFile file, ReadConfigFile(path));
  return std::move(file.config);
}

}  // namespace vigil
