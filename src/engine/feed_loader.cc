#include "engine/feed_loader.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "core/sha256.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/config_apply.h"
#include "ingest/epss_csv.h"
#include "ingest/input_file.h"
#include "ingest/nvd_json.h"
#include "store/store.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

bool IsFeedFile(const fs::path& p) {
  std::string name = p.filename().string();
  auto ends = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".json") || ends(".json.gz");
}

// A file to read; one found in a directory is skipped when it is not an NVD document (the
// feed's JSON schemas often sit beside the data).
struct FeedFile {
  std::string path;
  bool from_directory = false;
};

Result<std::vector<FeedFile>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<FeedFile> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file() && IsFeedFile(it->path())) {
          found.push_back(it->path().string());
        }
      }
      if (ec) {
        return IoError(p + ": cannot read the directory: " + ec.message());
      }
      std::sort(found.begin(), found.end());
      for (auto& f : found) {
        out.push_back(FeedFile{.path = std::move(f), .from_directory = true});
      }
    } else if (fs::exists(p, ec)) {
      out.push_back(FeedFile{.path = p});
    } else {
      return NotFound(p + ": no such file or directory");
    }
  }
  return out;
}

// Records of one file, handed from the reading thread to the writing one in batches, so that
// memory holds a few batches, never a whole file's records (a page of tiny hostile records
// would take several times its size).
struct ParsedFile {
  std::string path;
  std::vector<CveRecord> records;
  bool last = false;  // the file's last batch, with its digest and status
  std::string sha256;
  Status status;
  bool skipped = false;
};

constexpr size_t kBatchRecords = 1000;

// Reads and parses files in order on its own thread, keeping at most `depth` batches ahead.
class FileReader {
 public:
  FileReader(std::vector<FeedFile> files, size_t depth)
      : files_(std::move(files)), depth_(depth), thread_([this] { Run(); }) {}
  ~FileReader() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // The next file, or nullopt after the last.
  std::optional<ParsedFile> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      return std::nullopt;
    }
    ParsedFile f = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return f;
  }

 private:
  // Waits for room, then hands `f` over; false when the writer has stopped.
  bool Push(ParsedFile f) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return ready_.size() < depth_ || stop_; });
    if (stop_) {
      return false;
    }
    ready_.push_back(std::move(f));
    cv_.notify_all();
    return true;
  }

  // Parses one file, handing over full batches on the way; returns its last batch.
  ParsedFile Parse(const std::string& path, bool from_directory) {
    ParsedFile f{.path = path, .last = true};
    auto text = ReadInputText(path, InputKind::kNvd);
    if (!text.ok()) {
      f.status = text.status();
      return f;
    }
    if (from_directory && NvdKindOf(*text) == NvdDocumentKind::kOther) {
      f.skipped = true;
      return f;
    }
    f.sha256 = Sha256Hex(*text);
    auto doc = ParseNvdDocument(*text, [&](CveRecord& r) {
      f.records.push_back(std::move(r));
      if (f.records.size() < kBatchRecords) {
        return Status::Ok();
      }
      ParsedFile batch{.path = path, .records = std::move(f.records)};
      f.records = {};
      return Push(std::move(batch)) ? Status::Ok() : Internal("stopped");
    });
    if (!doc.ok()) {
      f.status = Status(doc.status().code(), path + ":" + doc.status().message());
    }
    return f;
  }

  void Run() {
    for (const auto& [path, from_directory] : files_) {
      ParsedFile f = Parse(path, from_directory);
      bool failed = !f.status.ok();
      if (!Push(std::move(f)) || failed) {
        break;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }

  std::vector<FeedFile> files_;
  size_t depth_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ParsedFile> ready_;
  bool done_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace

Result<NvdLoadResult> LoadNvd(Store& store, const std::vector<std::string>& paths,
                              const ClassificationConfig& classification, Timestamp now,
                              const std::string& actor) {
  ASSIGN_OR_RETURN(std::vector<FeedFile> files, ExpandPaths(paths));
  if (files.empty()) {
    return InvalidInput("no NVD files (.json or .json.gz) in " + Join(paths, ", "));
  }
  NvdLoadResult result;
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    FileReader reader(files, 2);
    nlohmann::json digests = nlohmann::json::array();
    int64_t file_records = 0;
    int64_t stored_before = 0;
    while (auto f = reader.Next()) {
      RETURN_IF_ERROR(f->status);
      if (f->skipped) {
        result.skipped.push_back(f->path);
        continue;
      }
      for (const CveRecord& r : f->records) {
        ++result.records;
        ++file_records;
        ASSIGN_OR_RETURN(bool stored, store.UpsertCve(r, now));
        stored ? ++result.stored : ++result.older;
      }
      if (!f->last) {
        continue;
      }
      ++result.files;
      digests.push_back({{"file", f->path},
                         {"sha256", f->sha256},
                         {"records", file_records},
                         {"stored", result.stored - stored_before}});
      file_records = 0;
      stored_before = result.stored;
    }
    RETURN_IF_ERROR(AppendEvent(store, now, actor, "feed.loaded", "nvd",
                                {{"feed", "nvd"},
                                 {"files", digests},
                                 {"records", result.records},
                                 {"stored", result.stored},
                                 {"older", result.older}})
                        .status());
    if (result.stored > 0) {
      ASSIGN_OR_RETURN(result.reclassified,
                       Reclassify(store, classification, now, actor, "NVD records loaded"));
    }
    return Status::Ok();
  }));
  return result;
}

Result<EpssLoadResult> LoadEpss(Store& store, const std::string& path, Timestamp now,
                                const std::string& actor) {
  // Streamed: read, checked and stored a line at a time in one transaction, so that memory
  // does not grow with the file; a bad line rolls every score back.
  ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenInput(path, InputKind::kEpss));
  HashingSource hashing(*source);
  EpssReader reader(path);
  EpssLoadResult result;
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.ClearEpss());
    size_t last = 0;
    RETURN_IF_ERROR(ForEachLine(
        hashing, kMaxEpssLineBytes, [&](std::string_view line, size_t line_no) -> Status {
          last = line_no;
          EpssScore s;
          ASSIGN_OR_RETURN(bool is_score, reader.Line(line, line_no, s));
          if (!is_score) {
            return Status::Ok();
          }
          s.model_version = reader.model_version();
          s.score_date = reader.score_date().value_or(now);
          ASSIGN_OR_RETURN(bool added, store.AddEpss(s));
          if (!added) {
            return InvalidInput(reader.Where(line_no) + s.cve + " appears twice");
          }
          ++result.scores;
          return Status::Ok();
        }));
    RETURN_IF_ERROR(reader.Finish(last, static_cast<size_t>(result.scores)));
    result.model_version = reader.model_version();
    result.score_date = reader.score_date().value_or(now);
    return AppendEvent(store, now, actor, "feed.loaded", "epss",
                       {{"feed", "epss"},
                        {"file", path},
                        {"sha256", hashing.FinishHex()},
                        {"scores", result.scores},
                        {"model_version", result.model_version},
                        {"score_date", JsonTime(result.score_date)}})
        .status();
  }));
  return result;
}

}  // namespace vigil
