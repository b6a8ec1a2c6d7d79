// Evidence packs made through the server (the API's /api/v1/reports, the UI's /reports): each
// is written by the application layer into a directory of its own under the server's reports
// directory and archived beside it as one .tar to download.
#pragma once

#include <string>
#include <vector>

#include "app/service.h"
#include "core/status.h"

namespace vigil::web {

struct PackEntry {
  std::string id;
  uint64_t bytes = 0;
  std::string created;  // ISO-8601
};

struct MadePack {
  std::string id;
  EvidencePackSummary summary;
};

// Makes the pack of [from, to] as `who` (the application layer authorizes it).
Result<MadePack> MakePack(Service& service, const Identity& who, const std::string& reports_dir,
                          const std::string& from, const std::string& to);
// The packs made so far, newest first.
std::vector<PackEntry> ListPacks(const std::string& reports_dir);
// The archive of pack `id`; NotFound for an id that is not one (or not a plain name).
Result<std::string> PackArchive(const std::string& reports_dir, const std::string& id);

}  // namespace vigil::web
