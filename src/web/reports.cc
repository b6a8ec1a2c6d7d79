#include "web/reports.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "core/time.h"
#include "web/tar.h"

namespace vigil::web {
namespace {

namespace fs = std::filesystem;

bool PlainId(const std::string& id) {
  return !id.empty() && id.size() <= 80 && id.front() != '.' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
         });
}

}  // namespace

Result<MadePack> MakePack(Service& service, const Identity& who, const std::string& reports_dir,
                          const std::string& from, const std::string& to) {
  if (reports_dir.empty()) {
    return FailedPrecondition("this server keeps no evidence packs (no reports directory)");
  }
  std::error_code ec;
  fs::create_directories(reports_dir, ec);
  if (ec) {
    return Internal("cannot create " + reports_dir + ": " + ec.message());
  }
  fs::permissions(reports_dir, fs::perms::owner_all, ec);
  // evidence-20261207T061500Z, -2, -3... when several are made in one second.
  std::string stamp = FormatIso8601(service.Now());
  std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
  std::string id = "evidence-" + stamp;
  for (int n = 2; fs::exists(fs::path(reports_dir) / id, ec); ++n) {
    id = "evidence-" + stamp + "-" + std::to_string(n);
  }
  std::string dir = (fs::path(reports_dir) / id).string();
  auto summary =
      service.Report(who, ReportInput{.from = from, .to = to, .out_dir = dir, .dry_run = false});
  if (!summary.ok()) {
    fs::remove_all(dir, ec);
    return summary.status();
  }
  std::string tar = dir + ".tar";
  Status written = WriteTar(dir, tar + ".part");
  if (!written.ok()) {
    fs::remove(tar + ".part", ec);
    return written;
  }
  fs::rename(tar + ".part", tar, ec);
  if (ec) {
    return Internal("cannot rename the archive: " + ec.message());
  }
  return MadePack{.id = id, .summary = *summary};
}

std::vector<PackEntry> ListPacks(const std::string& reports_dir) {
  std::vector<PackEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(reports_dir, ec)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || p.extension() != ".tar" || !PlainId(p.stem().string())) {
      continue;
    }
    struct stat st {};
    if (stat(p.c_str(), &st) != 0) {
      continue;
    }
    out.push_back({.id = p.stem().string(),
                   .bytes = static_cast<uint64_t>(st.st_size),
                   .created = FormatIso8601(FromUnixSeconds(st.st_mtime))});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  return out;
}

Result<std::string> PackArchive(const std::string& reports_dir, const std::string& id) {
  std::error_code ec;
  fs::path tar = fs::path(reports_dir) / (id + ".tar");
  if (reports_dir.empty() || !PlainId(id) || !fs::is_regular_file(tar, ec)) {
    return NotFound("there is no evidence pack '" + id + "'");
  }
  return tar.string();
}

}  // namespace vigil::web
