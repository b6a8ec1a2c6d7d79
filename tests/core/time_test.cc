#include "core/time.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Iso8601, RejectsGarbage) {
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00",
                          "2024-01-01T10:00:00+0", "2024/01/01", "2024-01-01T10:00:00Zjunk"}) {
    EXPECT_FALSE(ParseIso8601(bad).ok()) << bad;
  }
}

TEST(Iso8601, AcceptsDateAndTimeForms) {
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01")), 1704067200);
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01T10:00")), 1704103200);
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01T10:00:00Z")), 1704103200);
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01 10:00:00.250")), 1704103200);
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01T12:00:00+02:00")), 1704103200);
  EXPECT_EQ(ToUnixSeconds(*ParseIso8601("2024-01-01T05:30:00-0430")), 1704103200);
}

TEST(Iso8601, FormatsUtcWithZ) {
  EXPECT_EQ(FormatIso8601(FromUnixSeconds(1704103200)), "2024-01-01T10:00:00Z");
  EXPECT_EQ(FormatDate(FromUnixSeconds(1704103200)), "2024-01-01");
  EXPECT_EQ(*ParseIso8601(FormatIso8601(FromUnixSeconds(951782400))),
            FromUnixSeconds(951782400));  // 2000-02-29
}

TEST(NessusHostTime, RejectsOtherForms) {
  for (const char* bad :
       {"", "2013-07-01 11:40:48", "Mon Foo  1 11:40:48 2013", "Mon Jul 32 11:40:48 2013",
        "Mon Jul  1 11:40:48", "Mon Jul 1 11:40:48 2013 x"}) {
    EXPECT_FALSE(ParseNessusHostTime(bad).ok()) << bad;
  }
}

TEST(NessusHostTime, ParsesSpacePaddedDay) {
  EXPECT_EQ(FormatIso8601(*ParseNessusHostTime("Mon Jul  1 11:40:48 2013")),
            "2013-07-01T11:40:48Z");
  EXPECT_EQ(FormatIso8601(*ParseNessusHostTime("Wed Mar 23 14:31:51 2022")),
            "2022-03-23T14:31:51Z");
}

TEST(EpochSeconds, ParsesTimestampTags) {
  EXPECT_FALSE(ParseEpochSeconds("12ab").ok());
  EXPECT_FALSE(ParseEpochSeconds("").ok());
  EXPECT_EQ(FormatIso8601(*ParseEpochSeconds(" 1648042311 ")), "2022-03-23T13:31:51Z");
}

TEST(SlashDate, ParsesPublicationDates) {
  EXPECT_FALSE(ParseSlashDate("2014-04-08").ok());
  EXPECT_FALSE(ParseSlashDate("2014/4/8").ok());
  EXPECT_FALSE(ParseSlashDate("2014/02/30").ok());
  EXPECT_EQ(FormatDate(*ParseSlashDate("2014/04/08")), "2014-04-08");
}

}  // namespace
}  // namespace vigil
