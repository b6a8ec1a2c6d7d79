// A rule's filter (NotifyFilter) and the links back to vigil, shared by alerts and Jira.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/class_scale.h"
#include "core/config.h"
#include "store/queries.h"

namespace vigil::notify {

// At or above min_class, one of classes, or (with kev) on the KEV list; all when none is set.
bool ClassMatches(const NotifyFilter& f, const ClassScale& scale, const VulnSummary& v);
// One of `scanners` is one of the filter's (all when it names none).
bool ScannerMatches(const NotifyFilter& f, const std::vector<std::string>& scanners);
// One of `assets` is in one of the filter's zones (`zones`: each asset's zone by name).
bool ZoneMatches(const NotifyFilter& f, const std::map<std::string, std::string>& zones,
                 const std::vector<std::string>& assets);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(const std::string& s);
// The vulnerability's page under `link_base` (vigil serve's address); empty without one.
std::string VulnLink(const std::string& link_base, const std::string& vuln_key);

}  // namespace vigil::notify
