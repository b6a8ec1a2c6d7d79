#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "core/text.h"

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
    sub.add_option("--state", state_, "open (default), closed (no open finding) or all (as --all)");
    sub.add_option("--zone", zone_, "Only those open on an asset of this zone");
    sub.add_flag("--overdue", overdue_, "Only those with a compliance clock overdue");
    sub.add_option("--sort", sort_,
                   "class (default), key, first_seen, last_seen, open_findings, "
                   "affected_assets, epss or kev_due; -NAME: descending");
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
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    if (show_->parsed()) {
      return Show(*app, format);
    }
    ASSIGN_OR_RETURN(Table t, app->service().Vulnerabilities(app->identity(),
                                                             VulnFilter{.class_name = class_,
                                                                        .cve = cve_,
                                                                        .asset = asset_,
                                                                        .scanner = scanner_,
                                                                        .kev = kev_,
                                                                        .epss_above = epss_above_,
                                                                        .all = all_,
                                                                        .state = state_,
                                                                        .zone = zone_,
                                                                        .overdue = overdue_,
                                                                        .sort = sort_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  // NOLINTNEXTLINE(readability-function-size): one read model printed as text
  Status Show(App& app, OutputFormat format) {
    ASSIGN_OR_RETURN(VulnerabilityDetail detail, app.service().Vulnerability(app.identity(), key_));
    if (format == OutputFormat::kJson) {
      std::cout << ToJson(detail).dump(2, ' ', false,
                                       nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
      return Status::Ok();
    }
    const VulnerabilityHistory* history = &detail.history;
    const VulnerabilityDef& d = history->def;
    const VulnClass& cls = history->stamp.cls;
    const VulnerabilityRatings& ratings = detail.ratings;
    int64_t open = detail.open_findings;
    std::vector<const ComplianceClock*> clocks;
    for (const auto& c : detail.clocks) {
      clocks.push_back(&c);
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
    if (!detail.jira_issue.empty()) {
      std::cout << "jira: " << detail.jira_issue << "\n";
    }
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
  std::string class_, cve_, asset_, scanner_, epss_above_, state_, zone_, sort_;
  bool all_ = false;
  bool overdue_ = false;
  bool kev_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeVulnsCommand() {
  return std::make_unique<VulnsCommand>();
}

}  // namespace vigil::cli
