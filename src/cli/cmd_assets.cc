#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/asset_labels.h"
#include "engine/inventory_loader.h"
#include "engine/scanner_health.h"

namespace vigil::cli {
namespace {

class AssetsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_,
                   "active|decommissioned|stale|all (default all); stale: active assets no "
                   "scanner has seen within --stale-after");
    sub.add_option("--stale-after", stale_after_,
                   "For --state stale (default: the config's [check] stale_after, else 30d)");
    sub.add_option("--zone", zone_, "Only assets of this zone (from the inventory or asset rules)");
    sub.add_option("--format", format_, "Output: table|json|csv");
    sub.require_subcommand(0, 1);
    import_ = sub.add_subcommand(
        "import", "Load the expected inventory from a CSV file, replacing the previous one");
    import_->add_option("file", file_, "CSV: name, addresses, zone, site, owner, scanners")
        ->required();
  }

  Status Run(const GlobalOptions& global) override {
    if (import_->parsed()) {
      return ImportInventory(global);
    }
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    std::optional<std::chrono::seconds> stale_after;
    if (!stale_after_.empty()) {
      ASSIGN_OR_RETURN(auto window, DurationOption("--stale-after", stale_after_));
      stale_after = window;
    }
    AssetQuery q;
    bool only_stale = state_ == "stale";
    if (only_stale) {
      q.state = AssetState::kActive;
    } else if (state_ != "all") {
      q.state = ParseAssetState(state_);
      if (!q.state) {
        return UsageError("--state must be active, decommissioned, stale or all, not '" + state_ +
                          "'");
      }
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    ASSIGN_OR_RETURN(auto assets, app->store().QueryAssets(q));
    ASSIGN_OR_RETURN(auto inventory, app->store().QueryInventory());
    std::vector<AssetLabels> labels = LabelAssets(assets, inventory, app->config().asset_rules);
    // Per asset, when each scanner last scanned it.
    std::map<std::string, std::vector<std::string>> scanned_by;
    ASSIGN_OR_RETURN(auto scanners, app->store().QueryScanners());
    for (const auto& s : scanners) {
      ASSIGN_OR_RETURN(auto last_scans, app->store().LastScansByScanner(s.name));
      for (const auto& l : last_scans) {
        scanned_by[l.asset].push_back(s.name + " " + FormatIso8601(l.last_scanned));
      }
    }
    std::chrono::seconds window = stale_after.value_or(app->config().check.stale_after);
    Timestamp now = app->clock().Now();
    Table t;
    t.columns = {{"name", "NAME"},
                 {"ip", "IP"},
                 {"fqdn", "FQDN"},
                 {"agent_id", "AGENT ID"},
                 {"os", "OS", 30},
                 {"zone", "ZONE"},
                 {"site", "SITE"},
                 {"owner", "OWNER"},
                 {"expected", "EXPECTED"},
                 {"state", "STATE"},
                 {"first_seen", "FIRST SEEN"},
                 {"last_seen", "LAST SEEN"},
                 {"scanned_by", "SCANNED BY", 50},
                 {"open_findings", "OPEN"},
                 {"stale", "STALE"},
                 {"decommissioned_at", "DECOMMISSIONED"},
                 {"decommissioned_by", "BY"},
                 {"decommission_reason", "REASON", 30},
                 {"reappeared_at", "REAPPEARED"}};
    for (size_t i = 0; i < assets.size(); ++i) {
      const AssetView& a = assets[i];
      const AssetLabels& l = labels[i];
      bool stale = IsStaleAsset(a, now, window);
      if ((only_stale && !stale) || (!zone_.empty() && l.zone != zone_)) {
        continue;
      }
      t.rows.push_back({a.name, TextCell(a.ip), TextCell(a.fqdn), TextCell(a.agent_id),
                        TextCell(a.os), TextCell(l.zone), TextCell(l.site), TextCell(l.owner),
                        l.expected != nullptr, std::string(ToString(a.state)),
                        TimeCell(a.first_seen), TimeCell(a.last_seen), scanned_by[a.name],
                        a.open_findings, stale, TimeCell(a.decommissioned_at),
                        TextCell(a.decommissioned_by), TextCell(a.decommission_reason),
                        TimeCell(a.reappeared_at)});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  Status ImportInventory(const GlobalOptions& global) {
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kWrite));
    ASSIGN_OR_RETURN(size_t loaded,
                     LoadInventory(app->store(), file_, app->clock().Now(), app->user()));
    std::cout << "loaded " << loaded << " expected assets from " << file_
              << " (the previous inventory is replaced); vigil check reports coverage gaps\n";
    return Status::Ok();
  }

  CLI::App* import_ = nullptr;
  std::string file_;
  std::string state_ = "all";
  std::string stale_after_;
  std::string zone_;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeAssetsCommand() {
  return std::make_unique<AssetsCommand>();
}

}  // namespace vigil::cli
