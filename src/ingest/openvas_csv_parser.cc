#include "ingest/openvas_csv_parser.h"

#include <charconv>

#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/diagnostics.h"
#include "ingest/openvas_parser.h"

namespace vigil {
namespace {

// What the export writes when a result has no output of its own.
constexpr std::string_view kNoOutput =
    "Vulnerability was detected according to the Vulnerability Detection Method.";

// gvmd puts an apostrophe before texts starting with = @ + - so that spreadsheets do not read
// them as formulas; the apostrophe is not part of the text.
std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && s[0] == '\'' && std::string_view("=@+-").find(s[1]) != std::string::npos) {
    s.remove_prefix(1);
  }
  return s;
}

struct Columns {
  int ip, hostname, port, protocol, cvss, severity, qod, name, summary, output, oid, cves,
      task_name, timestamp, impact, solution, affected, insight, bids, certs, other_refs, epss;
};

class OpenVasCsv {
 public:
  OpenVasCsv(CsvReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status Run();

 private:
  Status ReadHeader();
  void Row(const CsvRecord& r);
  bool Ratings(const CsvRecord& r, VulnerabilityDef& v);
  VulnerabilityDef Definition(const CsvRecord& r, const std::string& oid);
  void Warn(const CsvRecord& r, int column, std::string message) {
    diag_.Add(CsvDiagnostic(r, header_, column, record_, std::move(message)));
  }
  std::string Text(const CsvRecord& r, int column) const {
    return std::string(Unquote(CsvValue(r, column)));
  }

  CsvReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  CsvHeader header_;
  Columns col_{};
  std::string record_;
  std::string task_name_;
  openvas::HostCollector hosts_;
};

Status OpenVasCsv::Run() {
  RETURN_IF_ERROR(reader_.DetectSeparator());
  RETURN_IF_ERROR(ReadHeader());
  RETURN_IF_ERROR(reader_.ForEachRecord([&](const CsvRecord& r) {
    Row(r);
    return Status::Ok();
  }));
  RETURN_IF_ERROR(sink_.OnHeader(ReportHeader{.format = "openvas-csv", .report_name = task_name_}));
  return hosts_.Emit(sink_, std::nullopt, std::nullopt);
}

Status OpenVasCsv::ReadHeader() {
  CsvRecord r;
  do {
    ASSIGN_OR_RETURN(bool more, reader_.Next(r));
    if (!more) {
      return reader_.Error(1, 1, "empty file: no header line naming the columns");
    }
  } while (r.blank());
  header_ = CsvHeader(r.fields);
  reader_.set_header_fields(header_.size());
  const CsvHeader& h = header_;
  col_ = Columns{.ip = h.Find({"ip"}),
                 .hostname = h.Find({"hostname"}),
                 .port = h.Find({"port"}),
                 .protocol = h.Find({"port protocol"}),
                 .cvss = h.Find({"cvss"}),
                 .severity = h.Find({"severity"}),
                 .qod = h.Find({"qod"}),
                 .name = h.Find({"nvt name"}),
                 .summary = h.Find({"summary"}),
                 .output = h.Find({"specific result"}),
                 .oid = h.Find({"nvt oid"}),
                 .cves = h.Find({"cves"}),
                 .task_name = h.Find({"task name"}),
                 .timestamp = h.Find({"timestamp"}),
                 .impact = h.Find({"impact"}),
                 .solution = h.Find({"solution"}),
                 .affected = h.Find({"affected software/os"}),
                 .insight = h.Find({"vulnerability insight"}),
                 .bids = h.Find({"bids"}),
                 .certs = h.Find({"certs"}),
                 .other_refs = h.Find({"other references"}),
                 .epss = h.Find({"max epss score", "max severity epss score"})};
  if (col_.ip < 0 || col_.oid < 0) {
    return reader_.Error(r.line, 1,
                         std::string("not a Greenbone CSV results export: the header has no '") +
                             (col_.ip < 0 ? "IP" : "NVT OID") +
                             "' column (columns: " + header_.Listing() + ")");
  }
  return Status::Ok();
}

bool OpenVasCsv::Ratings(const CsvRecord& r, VulnerabilityDef& v) {
  std::string_view threat = CsvValue(r, col_.severity);
  std::string_view cvss = CsvValue(r, col_.cvss);
  std::optional<double> severity = ParseCsvNumber(cvss);
  if (threat == "Error" || (severity && *severity <= -2.5 && *severity >= -3.5)) {
    Warn(r, col_.severity, "an error message from the scanner, not a finding; row skipped");
    return false;
  }
  v.risk_factor = openvas::RiskWord(threat);
  if (severity && *severity >= 0 && *severity <= 10) {
    v.scanner_severity = openvas::SeverityLevel(*severity);
  } else if (!cvss.empty() && !(severity && *severity < 0)) {
    Warn(r, col_.cvss, "'" + std::string(cvss) + "' is not a severity in 0..10; ignored");
  }
  if (!v.scanner_severity && openvas::ThreatLevel(threat) >= 0) {
    v.scanner_severity = openvas::ThreatLevel(threat);
  }
  return true;
}

VulnerabilityDef OpenVasCsv::Definition(const CsvRecord& r, const std::string& oid) {
  VulnerabilityDef v;
  v.key = "openvas:" + oid;
  v.source = "openvas";
  v.source_id = oid;
  v.title = Text(r, col_.name);
  v.synopsis = Text(r, col_.summary);
  v.description =
      openvas::Description(Text(r, col_.insight), Text(r, col_.affected), Text(r, col_.impact));
  v.solution = Text(r, col_.solution);
  for (const auto& cve : SplitNonEmpty(CsvValue(r, col_.cves), ", ")) {
    openvas::AddRef(v, "cve", cve);
  }
  for (const auto& bid : SplitNonEmpty(CsvValue(r, col_.bids), ", ")) {
    openvas::AddRef(v, "bid", bid);
  }
  for (const auto& cert : SplitNonEmpty(CsvValue(r, col_.certs), ", ")) {
    openvas::AddCert(v, cert);
  }
  for (const auto& ref : SplitNonEmpty(CsvValue(r, col_.other_refs), ", \n")) {
    if (ref.rfind("URL:", 0) == 0) {
      openvas::AddRef(v, "see_also", ref.substr(4));
    } else {
      openvas::AddRef(v, ref.find("://") != std::string::npos ? "see_also" : "xref", ref);
    }
  }
  std::string_view epss = CsvValue(r, col_.epss);
  if (std::optional<double> d = ParseCsvNumber(epss); d && *d >= 0 && *d <= 1) {
    v.epss_score = d;
  } else if (!epss.empty()) {
    Warn(r, col_.epss, "'" + std::string(epss) + "' is not a score in 0..1; ignored");
  }
  return v;
}

void OpenVasCsv::Row(const CsvRecord& r) {
  std::string ip(CsvValue(r, col_.ip));
  std::string oid(CsvValue(r, col_.oid));
  record_ =
      "row " + std::to_string(r.line) + (ip.empty() ? "" : " (host " + ip + " / NVT " + oid + ")");
  if (!CsvFieldCountMatches(r, header_)) {
    Warn(r, -1,
         std::to_string(r.fields.size()) + " fields, but the header names " +
             std::to_string(header_.size()) + "; row skipped");
    return;
  }
  if (ip.empty() || oid.empty()) {
    Warn(r, ip.empty() ? col_.ip : col_.oid, "missing; row skipped");
    return;
  }
  openvas::Finding f{.line = r.line};
  std::string_view port = CsvValue(r, col_.port);
  std::string_view protocol = CsvValue(r, col_.protocol);
  std::string text = port.empty() ? "" : std::string(port) + "/" + std::string(protocol);
  if (!openvas::ParsePort(text, f.port, f.protocol, f.service) || port.find('/') != port.npos) {
    Warn(r, col_.port, "'" + std::string(port) + "' is not a port number; row skipped");
    return;
  }
  VulnerabilityDef v;
  if (!Ratings(r, v)) {
    return;
  }
  std::string_view qod = CsvValue(r, col_.qod);
  int q = 0;
  auto [ptr, ec] = std::from_chars(qod.data(), qod.data() + qod.size(), q);
  if (ec == std::errc() && ptr == qod.data() + qod.size() && q >= 0 && q <= 100) {
    f.qod = q;
  } else if (!qod.empty()) {
    Warn(r, col_.qod, "'" + std::string(qod) + "' is not a QoD in 0..100; ignored");
  }
  if (col_.output >= 0) {
    f.output = r.fields[static_cast<size_t>(col_.output)];
    if (TrimSpace(f.output) == kNoOutput) {
      f.output.clear();
    }
  }
  if (!hosts_.HasNvt(oid)) {
    VulnerabilityDef def = Definition(r, oid);
    def.risk_factor = v.risk_factor;
    def.scanner_severity = v.scanner_severity;
    hosts_.AddNvt(std::move(def));
  }
  HostObservation& host = hosts_.Host(ip, r.line);
  openvas::SetHostName(host, CsvValue(r, col_.hostname));
  std::string_view timestamp = CsvValue(r, col_.timestamp);
  if (!timestamp.empty() && !host.start) {
    auto t = ParseIso8601(timestamp);
    if (t.ok()) {
      host.start = *t;  // the host's scan start, as the export writes it
    } else {
      Warn(r, col_.timestamp, t.status().message() + "; ignored");
    }
  }
  if (task_name_.empty()) {
    task_name_ = std::string(CsvValue(r, col_.task_name));
  }
  hosts_.Add(ip, oid, std::move(f));
}

}  // namespace

Status ParseOpenVasCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  CsvReader reader(source);
  OpenVasCsv parser(reader, sink, diagnostics);
  return parser.Run();
}

}  // namespace vigil
