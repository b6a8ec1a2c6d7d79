// What a digest or an alert says, rendered once when it is queued: a title (the mail's
// subject), a plain text and an HTML version, and the JSON a webhook receives. Every text
// that came from a scan is escaped in the HTML.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "engine/check.h"
#include "notify/schedule.h"

namespace vigil::notify {

// The implicit destructor and moves reach nlohmann::json's destructor, which allocates while
// it tears nested values down (engine/vex_export.h); only std::bad_alloc can escape.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct Rendered {
  std::string title;
  std::string text;
  std::string html;
  nlohmann::json data;                  // the webhook's JSON (docs/notifications.md#webhooks)
  std::vector<std::string> recipients;  // a mail's, fixed when it is queued
  // Stored in the outbox: {"title", "text", "html", "data"}.
  nlohmann::json ToJson() const;
  static Rendered FromJson(const nlohmann::json& j);
};

// The heading a check item's kind is listed under in a digest ("Unclassified
// vulnerabilities", "Silent agents", ...).
std::string CauseOf(const std::string& kind);

// The key that identifies an item from one digest to the next.
std::string ItemKey(const CheckItem& item);

// The daily digest: `items` (vigil check at the slot) grouped by cause, those whose key was
// not in `previous` (the keys of the last digest of the rule) first; `first` when the rule
// has sent none before (then nothing is called new).
Rendered RenderDigest(const DigestRule& rule, const DigestSlot& slot,
                      const std::vector<CheckItem>& items, const std::set<std::string>& previous,
                      bool first, const std::string& link_base);

// An alert: a condition of `rule` started (or ended).
struct AlertFact {
  std::string condition;  // the rule's condition name, e.g. "scanner-stale"
  std::string subject;    // what it is about, e.g. the scanner's name
  std::string detail;     // one sentence
  std::string vuln_key;   // when it is about a vulnerability (for the link)
  std::string headline;   // the title's text, when more than "condition subject"
};
Rendered RenderAlert(const AlertRule& rule, const AlertFact& fact, bool started, Timestamp at,
                     const std::string& link_base);

}  // namespace vigil::notify
