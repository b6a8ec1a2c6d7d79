#include "notify/deliver.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/sha256.h"
#include "engine/audit_log.h"
#include "ingest/input_file.h"
#include "net/http_post.h"
#include "notify/content.h"
#include "notify/jira.h"
#include "notify/mime.h"
#include "store/store.h"

namespace vigil::notify {
namespace {

using nlohmann::json;

Result<std::string> Secret(const std::string& path, const std::string& what) {
  if (path.empty()) {
    return std::string();
  }
  auto text = ReadInputText(path, InputKind::kSmallFile);
  if (!text.ok()) {
    return text.status().WithPrefix(what);
  }
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  if (s.empty()) {
    return InvalidInput(what + ": " + path + " is empty");
  }
  return s;
}

std::string HexHmac(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

// Slack's mrkdwn and Teams' markdown: the characters that would start markup.
std::string EscapeMarkup(const std::string& text, bool teams) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '*':
      case '_':
      case '[':
      case ']':
      case '`':
      case '~':
        if (teams) {
          out += '\\';
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Cut(const std::string& s, size_t max) {
  if (s.size() <= max) {
    return s;
  }
  size_t end = max - 3;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
  }
  return s.substr(0, end) + "...";
}

std::string WebhookBody(const WebhookTarget& target, const NotificationRecord& n,
                        const Rendered& r) {
  switch (target.format) {
    case WebhookFormat::kSlack:
      // The top-level text is the notification's fallback, read as mrkdwn: escaped too.
      return json{
          {"text", Cut(EscapeMarkup(r.title, false), 3000)},
          {"blocks",
           json::array(
               {json{{"type", "header"},
                     {"text", {{"type", "plain_text"}, {"text", Cut(r.title, 150)}}}},
                json{{"type", "section"},
                     {"text",
                      {{"type", "mrkdwn"}, {"text", Cut(EscapeMarkup(r.text, false), 3000)}}}}})}}
          .dump();
    case WebhookFormat::kTeams:
      return json{{"@type", "MessageCard"},
                  {"@context", "https://schema.org/extensions"},
                  {"summary", Cut(r.title, 200)},
                  {"themeColor", n.kind == "digest" ? "0076D7" : "D9534F"},
                  {"title", EscapeMarkup(r.title, true)},
                  {"text", Cut(EscapeMarkup(r.text, true), 20000)}}
          .dump();
    case WebhookFormat::kJson:
      break;
  }
  json body = r.data;
  body["delivery"] = DeliveryId(n.key);
  body["key"] = n.key;
  return body.dump();
}

std::optional<WebhookTarget> TargetOf(const NotifyConfig& config, const NotificationRecord& n) {
  for (const auto& d : config.digests) {
    if (d.name == n.rule) {
      return d.webhook;
    }
  }
  for (const auto& a : config.alerts) {
    if (a.name == n.rule) {
      return a.webhook;
    }
  }
  return std::nullopt;
}

std::vector<std::string> RecipientsOf(const NotifyConfig& config, const NotificationRecord& n) {
  for (const auto& d : config.digests) {
    if (d.name == n.rule) {
      return d.to;
    }
  }
  for (const auto& a : config.alerts) {
    if (a.name == n.rule) {
      return a.to;
    }
  }
  return {};
}

}  // namespace

Delivery DeliveryOf(const Result<HttpResponse>& r) {
  Delivery d;
  if (!r.ok()) {
    d.outcome = Delivery::Outcome::kRetry;
    d.error = r.status().message();
    return d;
  }
  std::string status = "HTTP " + std::to_string(r->status);
  if (r->status >= 200 && r->status < 300) {
    d.outcome = Delivery::Outcome::kSent;
    d.result = status;
    return d;
  }
  bool transient = r->status == 408 || r->status == 425 || r->status == 429 || r->status >= 500;
  d.outcome = transient ? Delivery::Outcome::kRetry : Delivery::Outcome::kFailed;
  d.error = status + ": " + Cut(r->body, 300);
  if (r->retry_after) {
    d.retry_after = std::chrono::seconds(*r->retry_after);
  }
  return d;
}

namespace {

Delivery SendWebhook(const NotifyConfig& config, const Secrets& secrets,
                     const NotificationRecord& n, const Rendered& r, Timestamp now) {
  auto target = TargetOf(config, n);
  if (!target) {
    return Delivery{.outcome = Delivery::Outcome::kFailed,
                    .error = "the rule '" + n.rule + "' has no webhook any more"};
  }
  std::string body = WebhookBody(*target, n, r);
  HttpCall call{.method = "POST",
                .url = target->url,
                .body = body,
                .timeout = config.webhook_timeout,
                .max_body = 1 << 20};
  call.headers = {"Content-Type: application/json", "User-Agent: vigil",
                  "X-Vigil-Delivery: " + DeliveryId(n.key), "X-Vigil-Event: " + n.kind};
  if (!secrets.webhook_secret.empty()) {
    std::string t = std::to_string(ToUnixSeconds(now));
    call.headers.push_back("X-Vigil-Signature: t=" + t +
                           ",v1=" + HexHmac(secrets.webhook_secret, t + "." + body));
  }
  return DeliveryOf(HttpSend(call));
}

Delivery SendEmail(const NotifyConfig& config, const Secrets& secrets, const NotificationRecord& n,
                   const Rendered& r, Timestamp now) {
  if (!config.smtp) {
    return Delivery{.outcome = Delivery::Outcome::kFailed,
                    .error = "no [notify.smtp] is configured any more"};
  }
  const SmtpConfig& smtp = *config.smtp;
  // The recipients the notification was queued for (older rows: the rule's at send time).
  std::vector<std::string> to = r.recipients.empty() ? RecipientsOf(config, n) : r.recipients;
  if (to.empty()) {
    return Delivery{.outcome = Delivery::Outcome::kFailed,
                    .error = "the rule '" + n.rule + "' has no recipients any more"};
  }
  MailMessage m{.from = smtp.from,
                .to = to,
                .subject = r.title,
                .text = r.text,
                .html = r.html,
                .message_id = MessageIdFor(n.key, smtp.from),
                .date = now,
                .headers = {{"X-Vigil-Notification", n.key}}};
  long reply = 0;
  Status sent = SendMail(SmtpCall{.url = smtp.url,
                                  .starttls = smtp.starttls,
                                  .ca_file = smtp.ca_file,
                                  .user = smtp.username,
                                  .password = secrets.smtp_password,
                                  .timeout = smtp.timeout,
                                  .from = smtp.from,
                                  .to = to,
                                  .message = BuildMessage(m)},
                         &reply);
  if (!sent.ok()) {
    // A 5xx reply refuses the message for good (an unknown recipient, a policy), except those
    // about authentication and TLS, which a corrected configuration cures.
    bool permanent =
        reply >= 500 && reply < 600 && reply != 530 && reply != 534 && reply != 535 && reply != 538;
    return Delivery{.outcome = permanent ? Delivery::Outcome::kFailed : Delivery::Outcome::kRetry,
                    .error = sent.message()};
  }
  return Delivery{.outcome = Delivery::Outcome::kSent, .result = "<" + m.message_id + ">"};
}

std::chrono::seconds Backoff(int attempts) {
  // 1, 4, 16, 64, 256 minutes, then 6 hours.
  int64_t minutes = 1;
  for (int i = 1; i < attempts && minutes < 360; ++i) {
    minutes *= 4;
  }
  return std::chrono::minutes(std::min<int64_t>(minutes, 360));
}

}  // namespace

std::string DeliveryId(const std::string& key) {
  return Sha256Hex(key).substr(0, 32);
}

Secrets LoadSecrets(const NotifyConfig& config) {
  Secrets s;
  auto load = [](const std::string& path, const std::string& what, std::string& value,
                 std::string& error) {
    auto read = Secret(path, what);
    if (read.ok()) {
      value = *read;
    } else {
      error = read.status().message();
    }
  };
  if (config.smtp) {
    load(config.smtp->password_file, "[notify.smtp] password_file", s.smtp_password, s.smtp_error);
  }
  load(config.webhook_secret_file, "[notify.webhook] secret_file", s.webhook_secret,
       s.webhook_error);
  if (config.jira) {
    load(config.jira->token_file, "[notify.jira] token_file", s.jira_token, s.jira_error);
  }
  return s;
}

std::chrono::seconds Lease(const NotifyConfig& config) {
  std::chrono::seconds longest = std::max(config.webhook_timeout, std::chrono::seconds(30));
  if (config.smtp) {
    longest = std::max(longest, config.smtp->timeout);
  }
  // A Jira change makes up to three requests; recording the outcome may wait for the
  // server's lock (a long import) too. A claim outliving its lease risks a second send, a
  // short lease only delays the recovery after a crash.
  return std::max(std::chrono::seconds(10 * 60), 3 * longest + std::chrono::seconds(60));
}

Result<std::optional<Claimed>> ClaimNext(Store& store, const NotifyConfig& config, Timestamp now) {
  ASSIGN_OR_RETURN(auto due, store.QueryNotifications(
                                 {.states = {"pending", "sending"}, .due_by = now, .limit = 100}));
  for (const NotificationRecord& candidate : due) {
    // One vulnerability's Jira changes go in the order they were queued: a change waits while an
    // earlier one of the same vulnerability is not done yet.
    if (candidate.channel == "jira") {
      ASSIGN_OR_RETURN(auto first, store.QueryNotifications({.states = {"pending", "sending"},
                                                             .channel = "jira",
                                                             .subject = candidate.subject,
                                                             .limit = 1}));
      if (!first.empty() && first.front().id != candidate.id) {
        continue;
      }
    }
    Claimed c{.notification = candidate, .in_doubt = candidate.state == "sending"};
    NotificationRecord& n = c.notification;
    n.state = "sending";
    n.attempts += 1;
    n.next_attempt_at = now + Lease(config);
    ASSIGN_OR_RETURN(bool claimed,
                     store.UpdateNotification(n, candidate.state, candidate.attempts));
    if (!claimed) {
      continue;  // another dispatcher took it
    }
    if (c.in_doubt) {
      RETURN_IF_ERROR(store.InsertNotificationAttempt(
          {.notification_id = n.id,
           .at = now,
           .outcome = "in-doubt",
           .detail = "attempt " + std::to_string(candidate.attempts) +
                     " was claimed and its outcome never recorded (the sender stopped): sent "
                     "again with the same idempotency key"}));
    }
    if (n.channel == "jira") {
      ASSIGN_OR_RETURN(c.link, store.FindJiraLink(n.subject));
    }
    return std::optional(c);
  }
  return std::optional<Claimed>();
}

Delivery Send(const NotifyConfig& config, const Secrets& secrets, const Claimed& claimed,
              Timestamp now) {
  try {
    return SendOne(config, secrets, claimed, now);
  } catch (const std::exception& e) {
    // An answer of an unexpected shape (JSON of another type, say): retried, then given up.
    return Delivery{.outcome = Delivery::Outcome::kRetry,
                    .error = std::string("unexpected answer: ") + e.what()};
  }
}

Delivery SendOne(const NotifyConfig& config, const Secrets& secrets, const Claimed& claimed,
                 Timestamp now) {
  const NotificationRecord& n = claimed.notification;
  const std::string& secret_error = n.channel == "jira"      ? secrets.jira_error
                                    : n.channel == "webhook" ? secrets.webhook_error
                                                             : secrets.smtp_error;
  if (!secret_error.empty()) {
    return Delivery{.outcome = Delivery::Outcome::kRetry, .error = secret_error};
  }
  if (n.channel == "jira") {
    if (!config.jira) {
      return Delivery{.outcome = Delivery::Outcome::kFailed,
                      .error = "no [notify.jira] is configured any more"};
    }
    return SendJira(*config.jira, secrets.jira_token, claimed);
  }
  json content = json::parse(n.content, nullptr, false);
  if (!content.is_object()) {
    return Delivery{.outcome = Delivery::Outcome::kFailed, .error = "damaged outbox content"};
  }
  Rendered r = Rendered::FromJson(content);
  if (n.channel == "email") {
    return SendEmail(config, secrets, n, r, now);
  }
  if (n.channel == "webhook") {
    return SendWebhook(config, secrets, n, r, now);
  }
  return Delivery{.outcome = Delivery::Outcome::kFailed, .error = "unknown channel " + n.channel};
}

Status RecordOutcome(Store& store, const Claimed& claimed, const Delivery& d, Timestamp now,
                     const std::string& actor) {
  NotificationRecord n = claimed.notification;
  std::string outcome;
  std::string detail = d.error;
  switch (d.outcome) {
    case Delivery::Outcome::kSent:
      n.state = "sent";
      n.sent_at = now;
      n.result = d.result;
      n.last_error.clear();
      outcome = "sent";
      detail = d.result;
      break;
    case Delivery::Outcome::kWaiting:
      // It waits for another notification (its Jira issue's creation), as long as that one
      // may still be retried.
      n.state = n.attempts >= kMaxAttempts ? "failed" : "pending";
      n.next_attempt_at = now + Backoff(n.attempts);
      n.last_error = d.error;
      outcome = n.state == "failed" ? "failed" : "waiting";
      break;
    case Delivery::Outcome::kRetry:
      n.state = n.attempts >= kMaxAttempts ? "failed" : "pending";
      n.next_attempt_at =
          now + std::max(Backoff(n.attempts), d.retry_after.value_or(std::chrono::seconds(0)));
      n.last_error = d.error;
      outcome = n.state == "failed" ? "failed" : "retry";
      break;
    case Delivery::Outcome::kFailed:
      n.state = "failed";
      n.last_error = d.error;
      outcome = "failed";
      break;
  }
  ASSIGN_OR_RETURN(bool mine,
                   store.UpdateNotification(n, "sending", claimed.notification.attempts));
  if (!mine) {
    // The claim's lease passed and another dispatcher took it over: its outcome counts.
    return store.InsertNotificationAttempt(
        {.notification_id = n.id,
         .at = now,
         .outcome = "late",
         .detail = "an attempt that outlived its lease ended: " + outcome +
                   (detail.empty() ? "" : ": " + detail)});
  }
  RETURN_IF_ERROR(store.InsertNotificationAttempt(
      {.notification_id = n.id, .at = now, .outcome = outcome, .detail = detail}));
  if (d.link && !d.link->issue_key.empty()) {
    // Only the issue's key is news: the class and state synced may have moved on since the
    // notification was claimed.
    ASSIGN_OR_RETURN(auto stored, store.FindJiraLink(d.link->vuln_key));
    JiraLinkRecord link = stored.value_or(*d.link);
    link.issue_key = d.link->issue_key;
    link.updated_at = now;
    RETURN_IF_ERROR(store.PutJiraLink(link));
  }
  if (n.state == "sent" || n.state == "failed") {
    RETURN_IF_ERROR(AppendEvent(store, now, actor, "notification." + n.state, n.key,
                                {{"id", n.id},
                                 {"rule", n.rule},
                                 {"channel", n.channel},
                                 {"kind", n.kind},
                                 {"attempts", n.attempts},
                                 {"result", n.result},
                                 {"error", n.last_error}})
                        .status());
  }
  return Status::Ok();
}

}  // namespace vigil::notify
