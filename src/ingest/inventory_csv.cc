#include "ingest/inventory_csv.h"

#include <map>
#include <unordered_set>

#include "core/cidr.h"
#include "core/host_name.h"
#include "core/text.h"
#include "ingest/byte_source.h"
#include "ingest/csv_reader.h"

namespace vigil {
namespace {

// Why `address` is not an inventory address, or "" when it is one.
std::string AddressProblem(const std::string& address) {
  if (ParseIp(address) || IsHostName(address)) {
    return "";
  }
  if (address.find('/') != std::string::npos) {
    auto network = Cidr::Parse(address);
    return network.ok() ? "'" + address +
                              "' is a network; an inventory entry is one asset: give its "
                              "address or host name"
                        : network.status().message();
  }
  return "'" + address + "' is neither an IP address nor a host name";
}

// A control character (tab aside) in `text`, or npos.
size_t ControlAt(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      return i;
    }
  }
  return std::string_view::npos;
}

class InventoryReader {
 public:
  explicit InventoryReader(ByteSource& source) : reader_(source), name_(source.name()) {
    reader_.set_separator(',');
  }

  Result<std::vector<InventoryEntry>> Run() {
    CsvRecord header;
    ASSIGN_OR_RETURN(bool any, reader_.Next(header));
    if (!any) {
      return InvalidInput(name_ + ":1: empty file: the first line must name the columns");
    }
    RETURN_IF_ERROR(Columns(header));
    RETURN_IF_ERROR(reader_.ForEachRecord([&](const CsvRecord& r) { return Row(r); }));
    return std::move(entries_);
  }

 private:
  Status Fail(uint64_t line, const std::string& message) const {
    return InvalidInput(name_ + ":" + std::to_string(line) + ": " + message);
  }

  Status Columns(const CsvRecord& header) {
    for (size_t i = 0; i < header.fields.size(); ++i) {
      column_[AsciiLower(TrimSpace(header.fields[i]))] = i;
    }
    if (!column_.count("name")) {
      return Fail(1, "no 'name' column (columns: name, addresses, zone, site, owner, scanners)");
    }
    width_ = header.fields.size();
    reader_.set_header_fields(width_);
    return Status::Ok();
  }

  Result<std::string> Get(const CsvRecord& r, const char* column, size_t max) const {
    auto it = column_.find(column);
    if (it == column_.end() || it->second >= r.fields.size()) {
      return std::string();
    }
    std::string value(TrimSpace(r.fields[it->second]));
    const CsvRecord::Position& at = r.positions[it->second];
    std::string where = name_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                        ": " + column + ": ";
    if (size_t bad = ControlAt(value); bad != std::string::npos) {
      return InvalidInput(where + "a control character (byte " + std::to_string(bad + 1) + ")");
    }
    if (value.size() > max) {
      return InvalidInput(where + "longer than " + std::to_string(max) + " bytes");
    }
    return value;
  }

  Status Row(const CsvRecord& r) {
    if (r.fields.size() > width_) {
      return Fail(r.line, std::to_string(r.fields.size()) + " fields, but the header names " +
                              std::to_string(width_));
    }
    if (entries_.size() >= kMaxInventoryEntries) {
      return Fail(r.line, "more than " + std::to_string(kMaxInventoryEntries) +
                              " assets, the limit of an inventory (docs/security.md)");
    }
    InventoryEntry e{.line = r.line};
    ASSIGN_OR_RETURN(e.name, Get(r, "name", kMaxInventoryFieldBytes));
    ASSIGN_OR_RETURN(e.zone, Get(r, "zone", kMaxInventoryFieldBytes));
    ASSIGN_OR_RETURN(e.site, Get(r, "site", kMaxInventoryFieldBytes));
    ASSIGN_OR_RETURN(e.owner, Get(r, "owner", kMaxInventoryFieldBytes));
    ASSIGN_OR_RETURN(std::string addresses, Get(r, "addresses", kMaxTextBytes));
    ASSIGN_OR_RETURN(std::string scanners, Get(r, "scanners", kMaxTextBytes));
    e.addresses = SplitNonEmpty(AsciiLower(addresses), "; ,\t");
    e.scanners = SplitNonEmpty(scanners, "; ,\t");
    if (e.name.empty()) {
      return Fail(r.line, "the name is empty");
    }
    if (e.addresses.size() > kMaxInventoryAddresses) {
      return Fail(r.line, "addresses: more than " + std::to_string(kMaxInventoryAddresses) +
                              " for one asset (name a network as a CIDR block)");
    }
    for (const std::string& a : e.addresses) {
      if (std::string problem = AddressProblem(a); !problem.empty()) {
        return Fail(r.line, "addresses: " + problem);
      }
    }
    if (!names_.insert(AsciiLower(e.name)).second) {
      return Fail(r.line, "'" + e.name + "' is listed twice");
    }
    entries_.push_back(std::move(e));
    return Status::Ok();
  }

  CsvReader reader_;
  const std::string& name_;
  std::map<std::string, size_t> column_;
  size_t width_ = 0;
  std::unordered_set<std::string> names_;
  std::vector<InventoryEntry> entries_;
};

}  // namespace

Result<std::vector<InventoryEntry>> ParseInventoryCsv(ByteSource& source) {
  InventoryReader reader(source);
  return reader.Run();
}

Result<std::vector<InventoryEntry>> ParseInventoryCsv(const std::string& text,
                                                      const std::string& source) {
  StringSource in(text, source);
  return ParseInventoryCsv(in);
}

}  // namespace vigil
