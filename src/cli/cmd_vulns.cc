#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/text.h"

namespace vigil::cli {
namespace {

class VulnsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--class", class_, "Only this class (e.g. CRITICAL, or unclassified)");
    sub.add_option("--cve", cve_, "Only vulnerabilities that name this CVE");
    sub.add_option("--asset", asset_, "Only those on this asset (name, FQDN or IP)");
    sub.add_option("--scanner", scanner_, "Only those reported by this scanner");
    sub.add_flag("--all", all_, "Also vulnerabilities with no open finding");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenApp(global));
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
    ASSIGN_OR_RETURN(auto vulns, app->store().QueryVulnerabilities(q));
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
                 {"title", "TITLE", 60}};
    for (const auto& v : vulns) {
      t.rows.push_back({v.key, v.class_name, v.class_source, v.open_findings, v.affected_assets,
                        TimeCell(v.first_seen), TimeCell(v.last_seen), v.cves, v.title});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string class_, cve_, asset_, scanner_;
  bool all_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeVulnsCommand() {
  return std::make_unique<VulnsCommand>();
}

}  // namespace vigil::cli
