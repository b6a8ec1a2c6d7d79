// A fresh SQLite store per test, and helpers to import generated reports into it and look
// at the result.
#pragma once

#include <gtest/gtest.h>

#include "core/credential.h"
#include "engine/importer.h"
#include "store/store.h"
#include "support/nessus_builder.h"
#include "support/temp_dir.h"

namespace vigil::testing {

class ImportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore((dir_.path() / "vigil.db").string(), OpenMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Initialize().ok());
  }

  // Registers users, made by alice, each holding the token "<name>-token" they issued
  // themselves (so that approvers may approve with it).
  void AddUsers(std::initializer_list<std::pair<const char*, Role>> users) {
    for (auto [name, role] : users) {
      ASSERT_TRUE(store_
                      ->InsertUser({.name = name,
                                    .role = role,
                                    .created_by = "alice",
                                    .token_hash = *HashToken(std::string(name) + "-token"),
                                    .token_issued_by = name,
                                    .role_granted_by = "alice"})
                      .ok());
    }
  }

  Result<std::vector<ImportOutcome>> TryImport(const std::string& xml,
                                               const std::string& scanner = "net") {
    std::string path = dir_.Write("scan" + std::to_string(++files_) + ".nessus", xml);
    FixedClock clock(import_time_);
    Importer importer(*store_, clock, config_);
    return importer.ImportFiles({path}, ImportOptions{.scanner = scanner, .user = "tester"});
  }

  ImportCounts Import(const std::string& xml, const std::string& scanner = "net") {
    auto r = TryImport(xml, scanner);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? (*r)[0].scan.counts : ImportCounts{};
  }

  FindingView Finding(const std::string& vuln, const std::string& asset, int port = 0) {
    FindingQuery q{.states = {FindingState::kOpen, FindingState::kFixed, FindingState::kReopened,
                              FindingState::kInactive},
                   .asset = asset,
                   .vuln_key = vuln};
    auto found = store_->QueryFindings(q);
    EXPECT_TRUE(found.ok());
    for (const auto& f : *found) {
      if (f.port == port) {
        return f;
      }
    }
    ADD_FAILURE() << "no finding " << vuln << " on " << asset << ":" << port;
    return {};
  }

  size_t CountFindings() {
    FindingQuery q{.states = {FindingState::kOpen, FindingState::kFixed, FindingState::kReopened,
                              FindingState::kInactive}};
    return store_->QueryFindings(q)->size();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  // When the next import happens: the log's times never run backwards, so a test that
  // records decisions before a later import moves this forward first.
  Timestamp import_time_ = FromUnixSeconds(Day(100));
  Config config_;
  int files_ = 0;
};

}  // namespace vigil::testing
