// The server's read cache: a value holds while the data version is the same, is computed once
// per version, a failed computation is not kept, and when full the entry used longest ago goes.
#include "web/read_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::web {
namespace {

Result<std::string> Text(const std::string& s, int& calls) {
  ++calls;
  return s;
}

TEST(ReadCache, ComputesOncePerVersion) {
  ReadCache cache;
  int calls = 0;
  auto a = cache.Get<std::string>("k", 1, [&] { return Text("one", calls); });
  auto b = cache.Get<std::string>("k", 1, [&] { return Text("other", calls); });
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(**b, "one");
  EXPECT_EQ(calls, 1);
  auto c = cache.Get<std::string>("k", 2, [&] { return Text("two", calls); });
  EXPECT_EQ(**c, "two");
  EXPECT_EQ(calls, 2);
}

TEST(ReadCache, AFailureIsNotKept) {
  ReadCache cache;
  auto failed =
      cache.Get<std::string>("k", 1, []() -> Result<std::string> { return InvalidInput("x"); });
  EXPECT_FALSE(failed.ok());
  int calls = 0;
  auto ok = cache.Get<std::string>("k", 1, [&] { return Text("v", calls); });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(**ok, "v");
}

TEST(ReadCache, WhenFullTheEntryUsedLongestAgoGoes) {
  ReadCache cache;
  int calls = 0;
  for (size_t k = 0; k < ReadCache::kMaxEntries; ++k) {
    ASSERT_TRUE(
        cache.Get<std::string>(std::to_string(k), 7, [&] { return Text("v", calls); }).ok());
  }
  // The first entry, read first but used since, stays; the second (never used again) goes.
  ASSERT_TRUE(cache.Get<std::string>("0", 7, [&] { return Text("again", calls); }).ok());
  ASSERT_TRUE(cache.Get<std::string>("new", 7, [&] { return Text("v", calls); }).ok());
  calls = 0;
  EXPECT_EQ(**cache.Get<std::string>("0", 7, [&] { return Text("again", calls); }), "v");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(**cache.Get<std::string>("1", 7, [&] { return Text("recomputed", calls); }),
            "recomputed");
  EXPECT_EQ(calls, 1);
}

TEST(ReadCache, ALaggingValueOutlivesAVersionForItsLag) {
  ReadCache cache;
  int calls = 0;
  ASSERT_TRUE(cache
                  .GetLagging<std::string>("t", 1, std::chrono::seconds(60),
                                           [&] { return Text("at 1", calls); })
                  .ok());
  // Another key put at a newer version does not drop it, and it is served at the new version.
  ASSERT_TRUE(cache.Get<std::string>("k", 2, [&] { return Text("v", calls); }).ok());
  EXPECT_EQ(**cache.GetLagging<std::string>("t", 2, std::chrono::seconds(60),
                                            [&] { return Text("at 2", calls); }),
            "at 1");
  EXPECT_EQ(calls, 2);
  // With no lag it is read again.
  EXPECT_EQ(**cache.GetLagging<std::string>("t", 2, std::chrono::seconds(0),
                                            [&] { return Text("at 2", calls); }),
            "at 2");
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace vigil::web
