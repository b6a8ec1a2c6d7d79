#include "ingest/nessus_csv_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "ingest/byte_source.h"
#include "ingest/csv_reader.h"
#include "ingest/diagnostics.h"
#include "ingest/references.h"
#include "ingest/report.h"

namespace vigil {
namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool LooksLikeIp(std::string_view s) {
  if (s.find(':') != std::string_view::npos) {  // IPv6
    return std::all_of(s.begin(), s.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
  }
  std::vector<std::string> parts = SplitNonEmpty(s, ".");
  if (parts.size() != 4 || std::count(s.begin(), s.end(), '.') != 3) {
    return false;
  }
  return std::all_of(parts.begin(), parts.end(), [](const std::string& p) {
    auto octet = ParseInt64(p);
    return IsDigits(p) && p.size() <= 3 && octet.ok() && *octet <= 255;
  });
}

// Nessus and Tenable severity words: 0 info .. 4 critical, -1 when unknown.
int SeverityOfWord(std::string_view word) {
  std::string w = AsciiLower(TrimSpace(word));
  constexpr std::pair<std::string_view, int> kWords[] = {
      {"critical", 4}, {"high", 3}, {"medium", 2},       {"low", 1},
      {"none", 0},     {"info", 0}, {"informational", 0}};
  for (const auto& [name, level] : kWords) {
    if (w == name) {
      return level;
    }
  }
  return -1;
}

constexpr std::string_view kRiskWords[] = {"None", "Low", "Medium", "High", "Critical"};

// UTC offsets of the zone names Tenable writes after its times ("Jan 5, 2021 10:24:08 MST").
std::optional<int> ZoneHours(std::string_view zone) {
  constexpr std::pair<std::string_view, int> kZones[] = {
      {"UTC", 0},   {"GMT", 0},   {"Z", 0},    {"EST", -5}, {"EDT", -4},  {"CST", -6},
      {"CDT", -5},  {"MST", -7},  {"MDT", -6}, {"PST", -8}, {"PDT", -7},  {"AKST", -9},
      {"AKDT", -8}, {"HST", -10}, {"WET", 0},  {"WEST", 1}, {"BST", 1},   {"CET", 1},
      {"CEST", 2},  {"EET", 2},   {"EEST", 3}, {"JST", 9},  {"AEST", 10}, {"AEDT", 11}};
  for (const auto& [name, hours] : kZones) {
    if (zone == name) {
      return hours;
    }
  }
  return std::nullopt;
}

// "2014/04/08" (Nessus) or "Feb 9, 2024 10:48:42 UTC" (Tenable Security Center).
Result<Timestamp> ParseTenableTime(std::string_view text) {
  if (text.find('/') != std::string_view::npos) {
    return ParseSlashDate(text);
  }
  constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char mon[4] = {}, zone[8] = {};
  int d = 0, y = 0, h = 0, mi = 0, s = 0, consumed = 0;
  std::string buf(text);
  auto bad = InvalidInput(
      "'" + buf + "' is not a date (expected YYYY/MM/DD or e.g. 'Feb 9, 2024 10:48:42 UTC')");
  if (std::sscanf(buf.c_str(), "%3s %d, %d %d:%d:%d %7s%n", mon, &d, &y, &h, &mi, &s, zone,
                  &consumed) != 7 ||
      static_cast<size_t>(consumed) != buf.size()) {
    return bad;
  }
  auto month = std::find(std::begin(kMonths), std::end(kMonths), std::string_view(mon));
  std::optional<int> hours = ZoneHours(zone);
  if (month == std::end(kMonths) || !hours) {
    return hours ? bad
                 : InvalidInput("unknown time zone '" + std::string(zone) + "' in '" + buf + "'");
  }
  char iso[64];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:00", y,
                static_cast<int>(month - std::begin(kMonths)) + 1, d, h, mi, s,
                *hours < 0 ? '-' : '+', std::abs(*hours));
  return ParseIso8601(iso);
}

struct Columns {
  int plugin, cve, cvss2, cvss3, cvss4, cvss2_vector, cvss3_vector, cvss4_vector, risk, risk_factor,
      host, ip, fqdn, netbios, mac, agent, os, protocol, port, name, family, synopsis, description,
      solution, see_also, output, vpr, epss, exploit, check_type, published, modified,
      patch_published, vuln_published, bid, xref, cpe, mskb, last_observed;
};

Columns FindColumns(const CsvHeader& h) {
  return Columns{
      .plugin = h.Find({"plugin id", "plugin"}),
      .cve = h.Find({"cve"}),
      .cvss2 = h.Find({"cvss v2.0 base score", "cvss v2 base score", "cvss"}),
      .cvss3 = h.Find({"cvss v3.0 base score", "cvss v3 base score", "cvssv3"}),
      .cvss4 = h.Find({"cvss v4.0 base score", "cvss v4 base score"}),
      .cvss2_vector = h.Find({"cvss v2 vector", "cvss v2.0 vector"}),
      .cvss3_vector = h.Find({"cvss v3 vector", "cvss v3.0 vector"}),
      .cvss4_vector = h.Find({"cvss v4 vector", "cvss v4.0 vector"}),
      .risk = h.Find({"risk", "severity"}),
      .risk_factor = h.Find({"risk factor"}),
      .host = h.Find({"host"}),
      .ip = h.Find({"ip address", "ip"}),
      .fqdn = h.Find({"dns name", "fqdn"}),
      .netbios = h.Find({"netbios name"}),
      .mac = h.Find({"mac address"}),
      .agent = h.Find({"agent id"}),
      .os = h.Find({"operating system"}),
      .protocol = h.Find({"protocol"}),
      .port = h.Find({"port"}),
      .name = h.Find({"name", "plugin name"}),
      .family = h.Find({"family", "plugin family"}),
      .synopsis = h.Find({"synopsis"}),
      .description = h.Find({"description"}),
      .solution = h.Find({"solution", "steps to remediate"}),
      .see_also = h.Find({"see also"}),
      .output = h.Find({"plugin output", "plugin text"}),
      .vpr = h.Find({"vpr score", "vulnerability priority rating"}),
      .epss = h.Find({"epss score"}),
      .exploit = h.Find({"exploit?", "exploit available"}),
      .check_type = h.Find({"check type"}),
      .published = h.Find({"plugin publication date"}),
      .modified = h.Find({"plugin modification date"}),
      .patch_published = h.Find({"patch publication date"}),
      .vuln_published = h.Find({"vuln publication date", "vulnerability publication date"}),
      .bid = h.Find({"bid"}),
      .xref = h.Find({"xref", "cross references"}),
      .cpe = h.Find({"cpe"}),
      .mskb = h.Find({"mskb"}),
      .last_observed = h.Find({"last observed", "last seen"}),
  };
}

// Merges a repeated item's output the way the engine does: each distinct text once.
void MergeOutput(std::string& into, const std::string& from) {
  if (!from.empty() && into.find(from) == std::string::npos) {
    into += into.empty() ? "" : "\n\n";
    into += from;
  }
}

void AddRef(VulnerabilityDef& v, const char* kind, std::string value) {
  if (!value.empty()) {
    AppendReference(v.refs, Reference{kind, std::move(value)});
  }
}

class NessusCsv {
 public:
  NessusCsv(CsvReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status Run();

 private:
  Status ReadHeader();
  Status Row(const CsvRecord& r);
  bool ReadHost(const CsvRecord& r, HostObservation& host);
  bool ReadItem(const CsvRecord& r, ItemObservation& item);
  void ReadRatings(const CsvRecord& r, VulnerabilityDef& v);
  void ReadRefs(const CsvRecord& r, VulnerabilityDef& v);
  void ReadDates(const CsvRecord& r, VulnerabilityDef& v);
  Status Flush();
  void Warn(const CsvRecord& r, int column, std::string message);
  std::string_view Value(const CsvRecord& r, int column) const { return CsvValue(r, column); }

  CsvReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  CsvHeader header_;
  Columns col_{};
  std::string record_;  // names the row in diagnostics
  bool have_host_ = false;
  std::string host_key_;
  HostObservation host_;
  std::unordered_map<std::string, size_t> items_;  // finding key -> index in host_.items
};

void NessusCsv::Warn(const CsvRecord& r, int column, std::string message) {
  diag_.Add(CsvDiagnostic(r, header_, column, record_, std::move(message)));
}

Status NessusCsv::Run() {
  RETURN_IF_ERROR(reader_.DetectSeparator());
  RETURN_IF_ERROR(ReadHeader());
  RETURN_IF_ERROR(sink_.OnHeader(ReportHeader{.format = "nessus-csv"}));
  RETURN_IF_ERROR(reader_.ForEachRecord([&](const CsvRecord& r) { return Row(r); }));
  return Flush();
}

Status NessusCsv::ReadHeader() {
  CsvRecord r;
  do {
    ASSIGN_OR_RETURN(bool more, reader_.Next(r));
    if (!more) {
      return reader_.Error(1, 1, "empty file: no header line naming the columns");
    }
  } while (r.blank());
  header_ = CsvHeader(r.fields);
  reader_.set_header_fields(header_.size());
  col_ = FindColumns(header_);
  if (col_.plugin < 0 || (col_.host < 0 && col_.ip < 0 && col_.fqdn < 0)) {
    return reader_.Error(
        r.line, 1,
        std::string("not a Tenable CSV export: the header has no '") +
            (col_.plugin < 0 ? "Plugin ID' or 'Plugin" : "Host', 'IP Address' or 'DNS Name") +
            "' column (columns: " + header_.Listing() + ")");
  }
  return Status::Ok();
}

Status NessusCsv::Row(const CsvRecord& r) {
  std::string_view named = Value(r, col_.host);
  named = !named.empty()                 ? named
          : !Value(r, col_.fqdn).empty() ? Value(r, col_.fqdn)
                                         : Value(r, col_.ip);
  record_ = "row " + std::to_string(r.line) +
            (named.empty() ? ""
                           : " (host " + std::string(named) + " / plugin " +
                                 std::string(Value(r, col_.plugin)) + ")");
  if (!CsvFieldCountMatches(r, header_)) {
    Warn(r, -1,
         std::to_string(r.fields.size()) + " fields, but the header names " +
             std::to_string(header_.size()) + "; row skipped");
    return Status::Ok();
  }
  HostObservation host;
  if (!ReadHost(r, host)) {
    return Status::Ok();
  }
  ItemObservation item;
  if (!ReadItem(r, item)) {
    return Status::Ok();
  }
  std::string key =
      Join({host.report_name, host.ip, host.fqdn, host.netbios_name, host.agent_id}, "\x1f");
  if (!have_host_ || key != host_key_) {
    RETURN_IF_ERROR(Flush());
    have_host_ = true;
    host_key_ = std::move(key);
    host_ = std::move(host);
  } else if (host.start && (!host_.start || *host.start > *host_.start)) {
    host_.start = host_.end = host.start;
  }
  std::string finding = item.vuln.key + '\x1f' + std::to_string(item.port) + '\x1f' + item.protocol;
  auto [it, inserted] = items_.emplace(std::move(finding), host_.items.size());
  if (inserted) {
    host_.items.push_back(std::move(item));
    return Status::Ok();
  }
  ItemObservation& into = host_.items[it->second];
  MergeOutput(into.output, item.output);
  for (auto& ref : item.vuln.refs) {
    AddRef(into.vuln, ref.kind.c_str(), std::move(ref.value));
  }
  return Status::Ok();
}

bool NessusCsv::ReadHost(const CsvRecord& r, HostObservation& host) {
  std::string named(Value(r, col_.host));
  std::string ip(Value(r, col_.ip));
  std::string dns = AsciiLower(Value(r, col_.fqdn));
  host.netbios_name = std::string(Value(r, col_.netbios));
  host.report_name = !named.empty() ? named
                     : !dns.empty() ? dns
                     : !ip.empty()  ? ip
                                    : host.netbios_name;
  if (host.report_name.empty()) {
    Warn(r, col_.host >= 0 ? col_.host : col_.ip,
         "no host: the host columns are empty; row skipped");
    return false;
  }
  bool named_ip = !named.empty() && LooksLikeIp(named);
  host.ip = !ip.empty() ? ip : named_ip ? named : "";
  if (!dns.empty()) {
    host.fqdn = dns;
  } else if (!named.empty() && !named_ip && named.find('.') != std::string::npos) {
    host.fqdn = AsciiLower(named);
  } else if (!named.empty() && !named_ip) {
    host.hostname = named;
  }
  host.mac = AsciiLower(Value(r, col_.mac));
  host.agent_id = AsciiLower(Value(r, col_.agent));
  host.os = std::string(Value(r, col_.os));
  host.line = r.line;
  std::string_view observed = Value(r, col_.last_observed);
  if (!observed.empty()) {
    auto t = ParseTenableTime(observed);
    if (t.ok()) {
      host.start = host.end = *t;
    } else {
      Warn(r, col_.last_observed, t.status().message() + "; ignored");
    }
  }
  return true;
}

bool NessusCsv::ReadItem(const CsvRecord& r, ItemObservation& item) {
  std::string_view plugin = Value(r, col_.plugin);
  if (!IsDigits(plugin)) {
    Warn(r, col_.plugin,
         plugin.empty() ? "missing; row skipped"
                        : "'" + std::string(plugin) + "' is not a number; row skipped");
    return false;
  }
  std::string_view port = Value(r, col_.port);
  int p = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (!port.empty() &&
      (ec != std::errc() || ptr != port.data() + port.size() || p < 0 || p > 65535)) {
    Warn(r, col_.port, "'" + std::string(port) + "' is not a port number; row skipped");
    return false;
  }
  item.port = p;
  item.protocol = AsciiLower(Value(r, col_.protocol));
  item.line = r.line;
  VulnerabilityDef& v = item.vuln;
  v.source = "tenable";
  v.source_id = std::string(plugin);
  v.key = "tenable:" + v.source_id;
  v.title = std::string(Value(r, col_.name));
  v.family = std::string(Value(r, col_.family));
  v.synopsis = std::string(Value(r, col_.synopsis));
  v.description = std::string(Value(r, col_.description));
  v.solution = std::string(Value(r, col_.solution));
  v.check_type = AsciiLower(Value(r, col_.check_type));
  std::string exploit = AsciiLower(Value(r, col_.exploit));
  if (exploit == "yes" || exploit == "true") {
    v.exploit_available = true;
  } else if (exploit == "no" || exploit == "false") {
    v.exploit_available = false;
  }
  ReadRatings(r, v);
  ReadRefs(r, v);
  ReadDates(r, v);
  if (col_.output >= 0) {
    // Kept as written (it is evidence), but for the "Plugin Output: " label Security Center
    // puts in front of the text the scanner wrote.
    std::string output = r.fields[static_cast<size_t>(col_.output)];
    constexpr std::string_view kLabel = "Plugin Output: ";
    if (output.compare(0, kLabel.size(), kLabel) == 0) {
      output.erase(0, kLabel.size());
      if (!output.empty() && output[0] == '\n') {
        output.erase(0, 1);
      }
    }
    item.output = std::move(output);
  }
  return true;
}

void NessusCsv::ReadRatings(const CsvRecord& r, VulnerabilityDef& v) {
  std::string_view risk = Value(r, col_.risk);
  int level = SeverityOfWord(risk);
  if (level >= 0) {
    v.scanner_severity = level;
    v.risk_factor = std::string(kRiskWords[level]);
  } else if (!risk.empty()) {
    Warn(r, col_.risk,
         "'" + std::string(risk) + "' is not a severity (Critical, High, Medium, " +
             "Low, None/Info); ignored");
  }
  std::string_view factor = Value(r, col_.risk_factor);
  if (int f = SeverityOfWord(factor); f >= 0) {
    v.risk_factor = std::string(kRiskWords[f]);
  } else if (!factor.empty()) {
    v.risk_factor = std::string(factor);
  }
  auto score = [&](int column, std::optional<double>& out, double max) {
    std::string_view text = Value(r, column);
    if (text.empty()) {
      return;
    }
    std::optional<double> d = ParseCsvNumber(text);
    if (d && *d >= 0 && *d <= max) {
      out = d;
    } else {
      Warn(r, column,
           "'" + std::string(text) + "' is not a score in 0.." + (max == 1.0 ? "1" : "10") +
               "; ignored");
    }
  };
  score(col_.cvss2, v.cvss2_score, 10);
  score(col_.cvss3, v.cvss3_score, 10);
  score(col_.cvss4, v.cvss4_score, 10);
  score(col_.vpr, v.vpr_score, 10);
  score(col_.epss, v.epss_score, 1);
  v.cvss2_vector = std::string(Value(r, col_.cvss2_vector));
  v.cvss3_vector = std::string(Value(r, col_.cvss3_vector));
  v.cvss4_vector = std::string(Value(r, col_.cvss4_vector));
}

void NessusCsv::ReadRefs(const CsvRecord& r, VulnerabilityDef& v) {
  for (auto& cve : SplitNonEmpty(Value(r, col_.cve), ",; \n")) {
    AddRef(v, "cve", AsciiUpper(cve));
  }
  for (auto& bid : SplitNonEmpty(Value(r, col_.bid), ",; \n")) {
    AddRef(v, "bid", bid);
  }
  for (auto& xref : SplitNonEmpty(Value(r, col_.xref), ",\n")) {
    size_t hash = xref.find(" #");  // Security Center writes "CWE #310" for "CWE:310"
    if (hash != std::string::npos) {
      xref = xref.substr(0, hash) + ":" + std::string(TrimSpace(xref.substr(hash + 2)));
    }
    AddRef(v, "xref", xref);
  }
  for (auto& kb : SplitNonEmpty(Value(r, col_.mskb), ",; \n")) {
    AddRef(v, "xref", "MSKB:" + kb);
  }
  for (auto& cpe : SplitNonEmpty(Value(r, col_.cpe), ", \n")) {
    AddRef(v, "cpe", cpe);
  }
  for (auto& url : SplitNonEmpty(Value(r, col_.see_also), " \n")) {
    AddRef(v, "see_also", url);
  }
}

void NessusCsv::ReadDates(const CsvRecord& r, VulnerabilityDef& v) {
  auto date = [&](int column, std::optional<Timestamp>& out) {
    std::string_view text = Value(r, column);
    if (text.empty() || AsciiLower(text) == "n/a") {
      return;
    }
    auto t = ParseTenableTime(text);
    if (t.ok()) {
      out = *t;
    } else {
      Warn(r, column, t.status().message() + "; ignored");
    }
  };
  date(col_.published, v.published);
  date(col_.modified, v.modified);
  date(col_.patch_published, v.patch_published);
  date(col_.vuln_published, v.vuln_published);
}

Status NessusCsv::Flush() {
  if (!have_host_) {
    return Status::Ok();
  }
  have_host_ = false;
  items_.clear();
  return sink_.OnHost(host_);
}

}  // namespace

Status ParseNessusCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  CsvReader reader(source);
  NessusCsv parser(reader, sink, diagnostics);
  return parser.Run();
}

}  // namespace vigil
