#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "core/text.h"
#include "engine/compliance.h"
#include "engine/decisions.h"
#include "engine/history.h"
#include "engine/ratings.h"

#include <nlohmann/json.hpp>

namespace vigil::cli {
namespace {

class VulnsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--class", class_, "Only this class (e.g. CRITICAL, or unclassified)");
    sub.add_option("--cve", cve_, "Only vulnerabilities that name this CVE");
    sub.add_option("--asset", asset_, "Only those on this asset (name, FQDN or IP)");
    sub.add_option("--scanner", scanner_, "Only those reported by this scanner");
    sub.add_flag("--kev", kev_, "Only those with a CVE in CISA's KEV catalog");
    sub.add_option("--epss-above", epss_above_,
                   "Only those with a CVE whose EPSS score is above this (0..1)");
    sub.add_flag("--all", all_, "Also vulnerabilities with no open finding");
    sub.add_option("--format", format_, "Output: table|json|csv");
    sub.require_subcommand(0, 1);
    show_ = sub.add_subcommand("show",
                               "One vulnerability: its ratings, classes, clocks and "
                               "history as a timeline");
    show_->add_option("key", key_, "Vulnerability key, e.g. tenable:19506")->required();
    show_->add_option("--format", format_, "Output: table|json");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    if (show_->parsed()) {
      return Show(*app, format);
    }
    VulnQuery q{.include_closed = all_};
    if (!class_.empty()) {
      std::string upper = AsciiUpper(class_);
      if (class_ == kUnclassified || upper == "UNCLASSIFIED") {
        q.class_name = std::string(kUnclassified);
      } else if (app->scale().Contains(upper)) {
        q.class_name = upper;
      } else {
        return UsageError("--class: unknown class '" + class_ + "'");
      }
    }
    auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional(s); };
    q.cve = opt(cve_);
    q.asset = opt(asset_);
    q.scanner = opt(scanner_);
    q.kev_only = kev_;
    if (!epss_above_.empty()) {
      auto v = ParseDouble(epss_above_);
      if (!v || *v < 0 || *v > 1) {
        return UsageError("--epss-above must be a probability 0..1, not '" + epss_above_ + "'");
      }
      q.epss_above = *v;
    }
    ASSIGN_OR_RETURN(auto vulns, QueryVulnerabilitiesAt(app->store(), q, app->clock().Now()));
    const ClassScale& scale = app->scale();
    auto rank = [&](const std::string& c) { return scale.Rank(c).value_or(99); };
    std::stable_sort(vulns.begin(), vulns.end(), [&](const VulnSummary& a, const VulnSummary& b) {
      if (rank(a.class_name) != rank(b.class_name)) {
        return rank(a.class_name) < rank(b.class_name);
      }
      return a.open_findings > b.open_findings;
    });
    Table t;
    t.columns = {{"key", "KEY"},
                 {"class", "CLASS"},
                 {"class_source", "SOURCE"},
                 {"open_findings", "OPEN"},
                 {"affected_assets", "ASSETS"},
                 {"first_seen", "FIRST SEEN"},
                 {"last_seen", "LAST SEEN"},
                 {"cves", "CVES", 40},
                 {"kev_due", "KEV DUE"},
                 {"epss", "EPSS"},
                 {"scanners", "SCANNERS", 30},
                 {"title", "TITLE", 60}};
    for (const auto& v : vulns) {
      t.rows.push_back({v.key, v.class_name, v.class_source, v.open_findings, v.affected_assets,
                        TimeCell(v.first_seen), TimeCell(v.last_seen), v.cves, TimeCell(v.kev_due),
                        v.epss ? Cell(*v.epss) : Cell(), v.scanners, v.title});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  // NOLINTNEXTLINE(readability-function-size): one read model printed as JSON and as text
  Status Show(App& app, OutputFormat format) {
    ASSIGN_OR_RETURN(auto history, LoadHistory(app.store(), key_, app.clock().Now()));
    if (!history) {
      return NotFound("vulnerability " + key_ + " is not in the database (see vigil vulns)");
    }
    ASSIGN_OR_RETURN(auto all_clocks,
                     ComplianceClocks(app.store(), app.config(), app.clock().Now(), key_));
    std::vector<const ComplianceClock*> clocks;
    for (const auto& c : all_clocks) {
      if (c.vuln_key == key_) {
        clocks.push_back(&c);
      }
    }
    const VulnerabilityDef& d = history->def;
    const VulnClass& cls = history->stamp.cls;
    ASSIGN_OR_RETURN(VulnerabilityRatings ratings, RatingsOf(app.store(), d));
    int64_t open = 0;
    for (const auto& f : history->findings) {
      open += f.state == FindingState::kOpen || f.state == FindingState::kReopened;
    }
    if (format == OutputFormat::kJson) {
      nlohmann::ordered_json out;
      auto opt_time = [](const std::optional<Timestamp>& t) {
        return t ? nlohmann::ordered_json(FormatIso8601(*t)) : nlohmann::ordered_json();
      };
      auto opt_num = [](const std::optional<double>& v) {
        return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
      };
      out["key"] = d.key;
      out["title"] = d.title;
      out["class"] = cls.class_name;
      out["class_source"] = cls.class_source;
      out["derived_class"] = cls.auto_class;
      out["derived_source"] = cls.auto_source;
      out["rating_score"] = opt_num(cls.rating_score);
      out["cvss3_score"] = opt_num(d.cvss3_score);
      out["cvss3_vector"] = d.cvss3_vector;
      out["cvss2_score"] = opt_num(d.cvss2_score);
      out["scanner_severity"] = d.scanner_severity ? nlohmann::ordered_json(*d.scanner_severity)
                                                   : nlohmann::ordered_json();
      out["patch_published"] = opt_time(d.patch_published);
      out["cves"] = d.Cves();
      out["ratings"] = nlohmann::ordered_json::array();
      for (const Rating& r : ratings.ratings) {
        out["ratings"].push_back({{"origin", r.origin},
                                  {"source", r.source},
                                  {"type", r.type},
                                  {"version", r.version},
                                  {"vector", r.vector},
                                  {"score", opt_num(r.score)},
                                  {"severity", r.severity}});
      }
      out["cve_facts"] = nlohmann::ordered_json::array();
      for (const CveFacts& c : ratings.cves) {
        nlohmann::ordered_json j{{"cve", c.cve}};
        j["nvd_status"] = c.nvd ? nlohmann::ordered_json(c.nvd->status) : nlohmann::ordered_json();
        j["nvd_last_modified"] = c.nvd ? nlohmann::ordered_json(FormatIso8601(c.nvd->last_modified))
                                       : nlohmann::ordered_json();
        j["cwes"] = c.nvd ? nlohmann::ordered_json(c.nvd->cwes) : nlohmann::ordered_json::array();
        j["epss"] = c.epss ? nlohmann::ordered_json(c.epss->score) : nlohmann::ordered_json();
        j["epss_percentile"] =
            c.epss ? nlohmann::ordered_json(c.epss->percentile) : nlohmann::ordered_json();
        j["epss_model"] =
            c.epss ? nlohmann::ordered_json(c.epss->model_version) : nlohmann::ordered_json();
        j["epss_date"] = c.epss ? nlohmann::ordered_json(FormatIso8601(c.epss->score_date))
                                : nlohmann::ordered_json();
        j["kev_date_added"] = c.kev ? nlohmann::ordered_json(FormatIso8601(c.kev->date_added))
                                    : nlohmann::ordered_json();
        j["kev_due_date"] = c.kev ? nlohmann::ordered_json(FormatIso8601(c.kev->due_date))
                                  : nlohmann::ordered_json();
        j["kev_ransomware"] =
            c.kev ? nlohmann::ordered_json(c.kev->ransomware) : nlohmann::ordered_json();
        out["cve_facts"].push_back(std::move(j));
      }
      out["detections"] = nlohmann::ordered_json::array();
      for (const auto& f : history->findings) {
        out["detections"].push_back({{"asset", f.asset},
                                     {"port", f.port},
                                     {"protocol", f.protocol},
                                     {"location", f.location},
                                     {"state", std::string(ToString(f.state))},
                                     {"scanners", f.scanners}});
      }
      out["open_findings"] = open;
      out["clocks"] = nlohmann::ordered_json::array();
      for (const ComplianceClock* c : clocks) {
        out["clocks"].push_back(
            {{"rule", c->rule->id},
             {"framework", c->rule->framework},
             {"stage", c->rule->stage},
             {"anchor", FormatIso8601(c->anchor)},
             {"anchor_kind", c->anchor_kind},
             {"due", FormatIso8601(c->due)},
             {"status", std::string(ToString(c->status))},
             {"stopped_at", opt_time(c->stopped_at)},
             {"stopped_by", c->stopped_by},
             {"late_by", c->late_by ? nlohmann::ordered_json(FormatDuration(*c->late_by))
                                    : nlohmann::ordered_json()}});
      }
      out["timeline"] = nlohmann::ordered_json::array();
      for (const auto& e : history->timeline) {
        out["timeline"].push_back({{"at", FormatIso8601(e.at)},
                                   {"actor", e.actor.empty() ? nlohmann::ordered_json()
                                                             : nlohmann::ordered_json(e.actor)},
                                   {"kind", e.kind},
                                   {"text", e.text}});
      }
      std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
      return Status::Ok();
    }
    std::cout << d.key << "  " << d.title << "\n"
              << "class: " << cls.class_name << " (" << cls.class_source << "); derived "
              << cls.auto_class << " (" << cls.auto_source;
    if (cls.rating_score) {
      std::cout << ", score " << *cls.rating_score;
    }
    std::cout << ")\n";
    if (!d.Cves().empty()) {
      std::cout << "cves: " << Join(d.Cves(), ", ") << "\n";
    }
    std::cout << "open findings: " << open << " of " << history->findings.size() << "\n";
    if (!ratings.ratings.empty()) {
      std::cout << "\nratings:\n";
      Table rt;
      rt.columns = {{"origin", "FROM"},  {"source", "SOURCE"}, {"type", "TYPE"},
                    {"version", "CVSS"}, {"score", "SCORE"},   {"severity", "SEVERITY"},
                    {"vector", "VECTOR"}};
      for (const Rating& r : ratings.ratings) {
        rt.rows.push_back({r.origin, r.source, r.type, r.version, r.score ? Cell(*r.score) : Cell(),
                           TextCell(r.severity), TextCell(r.vector)});
      }
      PrintTable(rt, OutputFormat::kTable, std::cout);
    }
    for (const CveFacts& c : ratings.cves) {
      std::cout << c.cve << ":";
      if (c.nvd) {
        std::cout << " NVD " << c.nvd->status << " (modified "
                  << FormatIso8601(c.nvd->last_modified) << ")";
        if (!c.nvd->cwes.empty()) {
          std::cout << ", " << Join(c.nvd->cwes, ", ");
        }
      } else {
        std::cout << " not in the NVD data loaded";
      }
      if (c.epss) {
        std::cout << "; EPSS " << c.epss->score << " (percentile " << c.epss->percentile << ", "
                  << c.epss->model_version << " of " << FormatIso8601(c.epss->score_date) << ")";
      }
      if (c.kev) {
        std::cout << "; KEV since " << FormatIso8601(c.kev->date_added) << ", due "
                  << FormatIso8601(c.kev->due_date) << ", ransomware " << c.kev->ransomware;
      }
      std::cout << "\n";
    }
    if (!history->findings.empty()) {
      std::cout << "\ndetections:\n";
      Table dt;
      dt.columns = {{"asset", "ASSET"},
                    {"port", "PORT"},
                    {"location", "LOCATION", 60},
                    {"state", "STATE"},
                    {"scanners", "SCANNERS"}};
      for (const auto& f : history->findings) {
        dt.rows.push_back(
            {f.asset, f.protocol.empty() ? Cell() : Cell(std::to_string(f.port) + "/" + f.protocol),
             TextCell(f.location), std::string(ToString(f.state)), f.scanners});
      }
      PrintTable(dt, OutputFormat::kTable, std::cout);
    }
    if (!clocks.empty()) {
      std::cout << "\nclocks:\n";
      Table ct;
      ct.columns = {{"rule", "RULE"}, {"stage", "STAGE"},   {"anchor", "FROM"},
                    {"due", "DUE"},   {"status", "STATUS"}, {"stopped", "STOPPED BY"}};
      for (const ComplianceClock* c : clocks) {
        std::string stopped = c->stopped_at ? c->stopped_by + " at " + FormatIso8601(*c->stopped_at)
                                            : std::string("-");
        if (c->late_by) {
          stopped += ", late by " + FormatDuration(*c->late_by);
        }
        ct.rows.push_back({c->rule->id, c->rule->stage,
                           c->anchor_kind + " " + FormatIso8601(c->anchor), FormatIso8601(c->due),
                           std::string(ToString(c->status)), stopped});
      }
      PrintTable(ct, OutputFormat::kTable, std::cout);
    }
    std::cout << "\ntimeline:\n";
    Table t;
    t.columns = {{"at", "AT"}, {"actor", "WHO"}, {"kind", "WHAT"}, {"text", "DETAIL"}};
    for (const auto& e : history->timeline) {
      t.rows.push_back({TimeCell(e.at), TextCell(e.actor), e.kind, e.text});
    }
    PrintTable(t, OutputFormat::kTable, std::cout);
    return Status::Ok();
  }

  CLI::App* show_ = nullptr;
  std::string key_;
  std::string class_, cve_, asset_, scanner_, epss_above_;
  bool all_ = false;
  bool kev_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeVulnsCommand() {
  return std::make_unique<VulnsCommand>();
}

}  // namespace vigil::cli
