// The parts of notifications that are pure functions: mail headers and bodies, the digest's
// local time across daylight-saving changes, the digest's text.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "notify/content.h"
#include "notify/mime.h"
#include "notify/schedule.h"

namespace vigil::notify {
namespace {

Timestamp At(int64_t unix) {
  return FromUnixSeconds(unix);
}

TEST(Mime, AsciiHeaderTextIsKept) {
  EXPECT_EQ(EncodeHeaderText("vigil daily report", 9), "vigil daily report");
}

TEST(Mime, NonAsciiBecomesEncodedWordsOfWholeCharacters) {
  std::string subject = "Ünïcode " + std::string(60, 'x') + " – ✓";
  std::string encoded = EncodeHeaderText(subject, 9);
  std::string decoded;
  size_t pos = 0;
  while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
    size_t end = encoded.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);  // RFC 2047: at most 75 characters a word
    auto bytes = Base64Decode(encoded.substr(pos + 10, end - pos - 10));
    ASSERT_TRUE(bytes.ok());
    decoded += *bytes;
    pos = end + 2;
  }
  EXPECT_EQ(decoded, subject);
  // Several words, folded onto continuation lines.
  EXPECT_NE(encoded.find("?=\r\n =?UTF-8?B?"), std::string::npos);
}

TEST(Mime, LineBreaksCannotStartAHeader) {
  std::string encoded = EncodeHeaderText("title\r\nBcc: evil@example.com", 9);
  EXPECT_EQ(encoded.find("\r\nBcc"), std::string::npos);
  EXPECT_EQ(encoded, "title  Bcc: evil@example.com");
}

TEST(Mime, TextThatLooksEncodedIsEncoded) {
  EXPECT_NE(EncodeHeaderText("=?UTF-8?B?abc?=", 9).find("=?UTF-8?B?PT9"), std::string::npos);
}

TEST(Mime, DateIsRfc5322Utc) {
  EXPECT_EQ(FormatMailDate(At(1796133660)), "Tue, 01 Dec 2026 14:01:00 +0000");
}

TEST(Mime, MessageHasBothPartsAndItsHeaders) {
  MailMessage m{.from = "vigil@example-ca.net",
                .to = {"a@example-ca.net", "b@example-ca.net"},
                .subject = "s",
                .text = "plain",
                .html = "<p>html</p>",
                .message_id = MessageIdFor("digest/x/2026-12-01/email", "vigil@example-ca.net"),
                .date = At(1796133660)};
  std::string msg = BuildMessage(m);
  EXPECT_NE(msg.find("To: a@example-ca.net,\r\n b@example-ca.net\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find(Base64Encode("plain")), std::string::npos);
  EXPECT_EQ(MessageIdFor("k", "v@d.example"), MessageIdFor("k", "v@d.example"));
  EXPECT_NE(MessageIdFor("k", "v@d.example"), MessageIdFor("k2", "v@d.example"));
}

DigestRule Rule(const std::string& zone, int minute) {
  return DigestRule{.name = "r", .minute_of_day = minute, .time_zone = zone};
}

TEST(Schedule, LocalTimeAcrossDaylightSaving) {
  // Europe/Budapest: CET (+1) until 2027-03-28 02:00, then CEST (+2).
  auto before = DigestSlotAt(Rule("Europe/Budapest", 7 * 60), At(1806134400));  // 03-27 08:00Z
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->local_date, "2027-03-27");
  EXPECT_EQ(FormatIso8601(before->at), "2027-03-27T06:00:00Z");
  auto after = DigestSlotAt(Rule("Europe/Budapest", 7 * 60), At(1806220800));  // 03-28 08:00Z
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(FormatIso8601(after->at), "2027-03-28T05:00:00Z");
}

TEST(Schedule, ATimeInTheGapIsDueWhenTheGapEnds) {
  // 02:30 does not exist in Budapest on 2027-03-28: due at 03:00 CEST, 01:00Z.
  auto slot = DigestSlotAt(Rule("Europe/Budapest", 2 * 60 + 30), At(1806220800));
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(FormatIso8601(slot->at), "2027-03-28T01:00:00Z");
}

TEST(Schedule, ATimeThatComesTwiceIsDueAtTheFirst) {
  // 02:30 comes twice in Budapest on 2026-10-25: first at 02:30 CEST, 00:30Z.
  auto slot = DigestSlotAt(Rule("Europe/Budapest", 2 * 60 + 30), At(1792908000));  // 10-25 06:00Z
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(FormatIso8601(slot->at), "2026-10-25T00:30:00Z");
}

TEST(Digest, ADayWithNothingToReportSaysSo) {
  DigestSlot slot{.local_date = "2026-12-02", .at = At(1796191200), .local_text = "x"};
  Rendered r = RenderDigest(Rule("UTC", 0), slot, {}, {}, false, "");
  EXPECT_NE(r.title.find("nothing needs attention"), std::string::npos);
  EXPECT_NE(r.text.find("Nothing needs attention"), std::string::npos);
  EXPECT_EQ(r.data["summary"]["items"], 0);
}

TEST(Digest, NewItemsComeFirstAndScanTextIsEscaped) {
  DigestSlot slot{.local_date = "2026-12-02", .at = At(1796191200), .local_text = "x"};
  std::vector<CheckItem> items = {
      {"stale-scanner", "agents", "scanner agents is stale", std::nullopt},
      {"unclassified", "CVE-1", "CVE-1 (<script>) has no rating", std::nullopt}};
  Rendered r = RenderDigest(Rule("UTC", 0), slot, items, {"stale-scanner:agents"}, false, "");
  EXPECT_LT(r.text.find("New since the last report"), r.text.find("CVE-1"));
  EXPECT_LT(r.text.find("CVE-1"), r.text.find("Still needing attention"));
  EXPECT_EQ(r.html.find("<script>"), std::string::npos);
  EXPECT_EQ(r.data["summary"]["new"], 1);
}

}  // namespace
}  // namespace vigil::notify
