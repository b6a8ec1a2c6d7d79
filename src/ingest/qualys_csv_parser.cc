#include "ingest/qualys_csv_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/text.h"
#include "core/time.h"
#include "ingest/csv_reader.h"
#include "ingest/diagnostics.h"
#include "ingest/qualys_parser.h"
#include "ingest/report.h"

namespace vigil {
namespace {

constexpr size_t kMaxPreamble = 1000;  // records looked through for the header line

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "05/13/2021 07:08:28", "22/09/2022 13:01", "2021-05-13T07:08:28Z". A day-month order that
// the numbers do not settle (both 12 or less) is `day_first`. Read as UTC.
Result<Timestamp> ParseQualysTime(std::string_view text, bool day_first) {
  if (text.size() >= 5 && text[4] == '-') {
    return ParseIso8601(text);
  }
  int a = 0, b = 0, y = 0, h = 0, mi = 0, s = 0, consumed = 0;
  std::string buf(text);
  int n = std::sscanf(buf.c_str(), "%d/%d/%d%n %d:%d%n:%d%n", &a, &b, &y, &consumed, &h, &mi,
                      &consumed, &s, &consumed);
  if ((n != 3 && n != 5 && n != 6) || static_cast<size_t>(consumed) != buf.size()) {
    return InvalidInput("'" + buf + "' is not a date (expected MM/DD/YYYY HH:MM:SS)");
  }
  bool dmy = a > 12 || (b <= 12 && day_first);
  char iso[40];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, dmy ? b : a, dmy ? a : b, h,
                mi, s);
  return ParseIso8601(iso);
}

struct Columns {
  int ip, dns, netbios, os, qid, title, type, severity, port, protocol, status, last, cve, bid,
      vendor, cvss2, cvss3, threat, impact, solution, output, category;
};

class QualysCsv {
 public:
  QualysCsv(CsvReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status Run();

 private:
  Status FindHeader();
  Status Row(const CsvRecord& r);
  bool ReadItem(const CsvRecord& r, ItemObservation& item);
  Status Flush();
  void Warn(const CsvRecord& r, int column, std::string message) {
    diag_.Add(CsvDiagnostic(r, header_, column, record_, std::move(message)));
  }
  std::string Value(const CsvRecord& r, int column) const {
    return std::string(CsvValue(r, column));
  }

  CsvReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  CsvHeader header_;
  Columns col_{};
  bool pci_ = false;
  std::string record_;
  bool have_host_ = false;
  std::string host_key_;
  HostObservation host_;
};

Status QualysCsv::Run() {
  RETURN_IF_ERROR(reader_.DetectSeparator());
  RETURN_IF_ERROR(FindHeader());
  RETURN_IF_ERROR(sink_.OnHeader(ReportHeader{.format = "qualys-csv"}));
  RETURN_IF_ERROR(reader_.ForEachRecord([&](const CsvRecord& r) { return Row(r); }));
  return Flush();
}

Status QualysCsv::FindHeader() {
  CsvRecord r;
  for (size_t n = 0;; ++n) {
    ASSIGN_OR_RETURN(bool more, reader_.Next(r));
    if (!more || n >= kMaxPreamble) {
      return reader_.Error(more ? r.line : 1, 1,
                           std::string(n == 0 ? "empty file: " : "") +
                               "no header line naming the columns 'IP' and 'QID' (a Qualys CSV "
                               "report has one after its report facts)");
    }
    CsvHeader h(r.fields);
    if (h.Has("ip") && h.Has("qid")) {
      header_ = std::move(h);
      reader_.set_header_fields(header_.size());
      break;
    }
  }
  const CsvHeader& h = header_;
  pci_ = h.Has("q_severity") || h.Has("last scan");
  col_ = Columns{.ip = h.Find({"ip"}),
                 .dns = h.Find({"dns", "hostname", "dns name"}),
                 .netbios = h.Find({"netbios"}),
                 .os = h.Find({"os", "operating system"}),
                 .qid = h.Find({"qid"}),
                 .title = h.Find({"title", "vuln title"}),
                 .type = h.Find({"type"}),
                 .severity = h.Find({"q_severity", "severity"}),
                 .port = h.Find({"port"}),
                 .protocol = h.Find({"protocol"}),
                 .status = h.Find({"vuln status", "status"}),
                 .last = h.Find({"last detected", "last scan"}),
                 .cve = h.Find({"cve id", "cveid"}),
                 .bid = h.Find({"bugtraq id", "bugtraqid"}),
                 .vendor = h.Find({"vendor reference"}),
                 .cvss2 = h.Find({"cvss base", "cvss_base"}),
                 .cvss3 = h.Find({"cvss3 base", "cvss3_base"}),
                 .threat = h.Find({"threat"}),
                 .impact = h.Find({"impact"}),
                 .solution = h.Find({"solution"}),
                 .output = h.Find({"results", "result"}),
                 .category = h.Find({"category"})};
  return Status::Ok();
}

Status QualysCsv::Row(const CsvRecord& r) {
  std::string ip = Value(r, col_.ip);
  record_ = "row " + std::to_string(r.line) +
            (ip.empty() ? "" : " (host " + ip + " / QID " + Value(r, col_.qid) + ")");
  if (!CsvFieldCountMatches(r, header_)) {
    Warn(r, -1,
         std::to_string(r.fields.size()) + " fields, but the header names " +
             std::to_string(header_.size()) + "; row skipped");
    return Status::Ok();
  }
  if (qualys::IsFixed(Value(r, col_.status))) {
    return Status::Ok();  // Qualys saw it fixed: not a finding
  }
  HostObservation host;
  host.ip = ip;
  qualys::SetHostName(host, Value(r, col_.dns));
  host.netbios_name = Value(r, col_.netbios);
  host.os = Value(r, col_.os);
  host.report_name = !host.ip.empty()         ? host.ip
                     : !host.fqdn.empty()     ? host.fqdn
                     : !host.hostname.empty() ? host.hostname
                                              : host.netbios_name;
  host.line = r.line;
  if (host.report_name.empty()) {
    Warn(r, col_.ip, "no host: IP, DNS and NetBIOS are empty; row skipped");
    return Status::Ok();
  }
  ItemObservation item;
  if (!ReadItem(r, item)) {
    return Status::Ok();
  }
  std::string last = Value(r, col_.last);
  if (!last.empty()) {
    auto t = ParseQualysTime(last, pci_);
    if (t.ok()) {
      host.start = host.end = *t;
    } else {
      Warn(r, col_.last, t.status().message() + "; ignored");
    }
  }
  std::string key =
      Join({host.report_name, host.ip, host.fqdn, host.hostname, host.netbios_name}, "\x1f");
  if (!have_host_ || key != host_key_) {
    RETURN_IF_ERROR(Flush());
    have_host_ = true;
    host_key_ = std::move(key);
    host_ = std::move(host);
  } else if (host.start && (!host_.start || *host.start > *host_.start)) {
    host_.start = host_.end = host.start;  // the latest scan that saw the host
  }
  host_.items.push_back(std::move(item));
  return Status::Ok();
}

bool QualysCsv::ReadItem(const CsvRecord& r, ItemObservation& item) {
  std::string qid = Value(r, col_.qid);
  if (!IsDigits(qid)) {
    Warn(r, col_.qid,
         qid.empty() ? "missing; row skipped" : "'" + qid + "' is not a number; row skipped");
    return false;
  }
  std::string port = Value(r, col_.port);
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), item.port);
  if (port.empty()) {
    item.port = 0;
  } else if (ec != std::errc() || ptr != port.data() + port.size() || item.port < 0 ||
             item.port > 65535) {
    Warn(r, col_.port, "'" + port + "' is not a port number; row skipped");
    return false;
  }
  item.protocol = AsciiLower(Value(r, col_.protocol));
  item.line = r.line;
  if (col_.output >= 0) {
    item.output = r.fields[static_cast<size_t>(col_.output)];
  }
  auto list = [&](int column) {
    std::vector<std::string> out = SplitNonEmpty(Value(r, column), ",\n");
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const std::string& v) { return v == "-" || v == "'-"; }),
              out.end());
    return out;
  };
  qualys::QidTexts t{.qid = qid,
                     .title = Value(r, col_.title),
                     .category = Value(r, col_.category),
                     .threat = Value(r, col_.threat),
                     .impact = Value(r, col_.impact),
                     .solution = Value(r, col_.solution),
                     .cvss2 = Value(r, col_.cvss2),
                     .cvss3 = Value(r, col_.cvss3),
                     .cves = list(col_.cve),
                     .bids = list(col_.bid),
                     .vendor_refs = list(col_.vendor)};
  item.vuln = qualys::Definition(t, [&](const std::string& field, std::string message) {
    Warn(r, field == "CVSS3_BASE" ? col_.cvss3 : col_.cvss2, std::move(message));
  });
  bool information = qualys::IsInformation(Value(r, col_.type));
  std::string level = Value(r, col_.severity);
  if (level.size() == 1 && level[0] >= '1' && level[0] <= '5') {
    qualys::SetSeverity(item.vuln, level[0] - '0', information);
  } else if (information) {
    qualys::SetSeverity(item.vuln, 1, true);
  } else if (!level.empty()) {
    Warn(r, col_.severity, "'" + level + "' is not a Qualys severity 1..5; ignored");
  }
  return true;
}

Status QualysCsv::Flush() {
  if (!have_host_) {
    return Status::Ok();
  }
  have_host_ = false;
  return sink_.OnHost(host_);
}

}  // namespace

Status ParseQualysCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  CsvReader reader(source);
  QualysCsv parser(reader, sink, diagnostics);
  return parser.Run();
}

}  // namespace vigil
