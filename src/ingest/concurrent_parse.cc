#include "ingest/concurrent_parse.h"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ingest/parse_report.h"
#include "ingest/report.h"

namespace vigil {
namespace {

// What the worker hands over: the header, a host, or the end with the parser's status.
struct Record {
  std::optional<ReportHeader> header;
  std::optional<HostObservation> host;
  std::optional<Status> end;
};

class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while full. Returns false when the consumer gave up. Records the consumer is done
  // with are destroyed here, on the producer's thread, which has time to spare.
  bool Push(Record r) {
    std::vector<Record> done;
    {
      std::unique_lock lock(mu_);
      done.swap(done_);
      not_full_.wait(lock, [&] { return records_.size() < capacity_ || cancelled_; });
      if (cancelled_) {
        return false;
      }
      records_.push_back(std::move(r));
      not_empty_.notify_one();
    }
    return true;
  }

  // Hands a processed record back for destruction.
  void Recycle(Record r) {
    std::lock_guard lock(mu_);
    done_.push_back(std::move(r));
  }

  Record Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !records_.empty(); });
    Record r = std::move(records_.front());
    records_.pop_front();
    not_full_.notify_one();
    return r;
  }

  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Record> records_;
  std::vector<Record> done_;
  bool cancelled_ = false;
};

class QueueSink final : public ReportSink {
 public:
  explicit QueueSink(RecordQueue& queue) : queue_(queue) {}
  Status OnHeader(const ReportHeader& header) override { return Forward(Record{.header = header}); }
  Status OnHost(HostObservation& host) override { return Forward(Record{.host = std::move(host)}); }

 private:
  Status Forward(Record r) {
    if (!queue_.Push(std::move(r))) {
      return Status(ErrorCode::kInternal, "parsing stopped");
    }
    return Status::Ok();
  }
  RecordQueue& queue_;
};

}  // namespace

Status ParseReportConcurrently(ReportFormat format, ByteSource& source, ReportSink& sink,
                               Diagnostics& diagnostics, size_t queue_hosts) {
  RecordQueue queue(queue_hosts);
  // An exception on either thread (std::bad_alloc under memory pressure) must reach the
  // command's catch-all as itself, with both threads stopped: a std::thread destroyed while
  // joinable, or an exception leaving a thread, ends the process with std::terminate.
  std::exception_ptr parse_error;
  std::thread worker([&] {
    pthread_setname_np(pthread_self(), "vigil-parse");  // shows in top and perf
    Status st;
    try {
      QueueSink forward(queue);
      st = ParseReport(format, source, forward, diagnostics);
    } catch (...) {
      parse_error = std::current_exception();
      st = Status(ErrorCode::kInternal, "parsing stopped by an exception");
    }
    queue.Push(Record{.end = st});
  });
  Status result;
  try {
    while (true) {
      Record r = queue.Pop();
      if (r.end) {
        result = *r.end;
        break;
      }
      Status st = r.header ? sink.OnHeader(*r.header) : sink.OnHost(*r.host);
      queue.Recycle(std::move(r));
      if (!st.ok()) {
        result = st;
        queue.Cancel();  // the worker's next push fails and the parser stops
        break;
      }
    }
  } catch (...) {
    queue.Cancel();
    worker.join();
    throw;
  }
  worker.join();
  if (parse_error) {
    std::rethrow_exception(parse_error);
  }
  return result;
}

}  // namespace vigil
