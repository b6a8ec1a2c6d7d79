// The server's sessions and throttles (web/sessions.h) on a clock the test moves.
#include "web/sessions.h"

#include <gtest/gtest.h>

namespace vigil::web {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(SessionStoreTest, ASessionEndsWhenIdleOrOld) {
  SessionStore store;
  SteadyTime t0{};
  auto opened = store.Open("bob", Timestamp{}, t0);
  ASSERT_EQ(opened.id.size(), 43u);
  ASSERT_EQ(opened.session.csrf.size(), 43u);
  EXPECT_NE(opened.id, opened.session.csrf);
  auto found = store.Find(opened.id, t0 + minutes(29));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user, "bob");
  EXPECT_EQ(found->csrf, opened.session.csrf);
  // Seen at 29 minutes: still there 29 minutes later, gone after 30 idle.
  EXPECT_TRUE(store.Find(opened.id, t0 + minutes(58)).has_value());
  EXPECT_FALSE(store.Find(opened.id, t0 + minutes(88)).has_value());
  EXPECT_FALSE(store.Find(opened.id, t0 + minutes(89)).has_value());

  // Busy all day: ends after 12 hours in all.
  auto busy = store.Open("carol", Timestamp{}, t0);
  for (int m = 10; m < 12 * 60; m += 10) {
    ASSERT_TRUE(store.Find(busy.id, t0 + minutes(m)).has_value()) << m;
  }
  EXPECT_FALSE(store.Find(busy.id, t0 + minutes(12 * 60)).has_value());

  auto closed = store.Open("erin", Timestamp{}, t0);
  store.Close(closed.id);
  EXPECT_FALSE(store.Find(closed.id, t0).has_value());
  EXPECT_FALSE(store.Find("", t0).has_value());
  EXPECT_FALSE(store.Find("not-a-session", t0).has_value());
}

TEST(SessionStoreTest, TheOldestSessionGivesWayAtTheCap) {
  SessionStore store;
  SteadyTime t0{};
  auto first = store.Open("u0", Timestamp{}, t0);
  for (size_t i = 1; i < SessionStore::kMaxSessions; ++i) {
    store.Open("u", Timestamp{}, t0 + seconds(1));
  }
  EXPECT_EQ(store.size(), SessionStore::kMaxSessions);
  auto last = store.Open("new", Timestamp{}, t0 + seconds(2));
  EXPECT_EQ(store.size(), SessionStore::kMaxSessions);
  EXPECT_FALSE(store.Find(first.id, t0 + seconds(3)).has_value());
  EXPECT_TRUE(store.Find(last.id, t0 + seconds(3)).has_value());
}

TEST(ThrottleTest, RefusesAfterTheLimitUntilTheOldestFailureLeavesTheWindow) {
  Throttle throttle(5, minutes(15));
  SteadyTime t0{};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.RetryAfter("bob", t0 + minutes(i)).count(), 0) << i;
    throttle.Fail("bob", t0 + minutes(i));
  }
  // Five failures at minutes 0..4: refused until minute 15.
  EXPECT_EQ(throttle.RetryAfter("bob", t0 + minutes(5)), seconds(600));
  EXPECT_EQ(throttle.RetryAfter("carol", t0 + minutes(5)).count(), 0);
  EXPECT_EQ(throttle.RetryAfter("bob", t0 + minutes(15)).count(), 0);
  // One more failure at 15: the failures of minutes 1..4 and 15 refuse until minute 16.
  throttle.Fail("bob", t0 + minutes(15));
  EXPECT_EQ(throttle.RetryAfter("bob", t0 + minutes(15)), seconds(60));
  throttle.Forget("bob");
  EXPECT_EQ(throttle.RetryAfter("bob", t0 + minutes(15)).count(), 0);
}

TEST(ThrottleTest, SprayingKeysDoesNotLiftARefusal) {
  Throttle throttle(3, minutes(15));
  SteadyTime t0{};
  for (int i = 0; i < 3; ++i) {
    throttle.Fail("victim", t0);
  }
  for (int i = 0; i < 70000; ++i) {
    throttle.Fail("spray" + std::to_string(i), t0 + seconds(1));
  }
  EXPECT_GT(throttle.RetryAfter("victim", t0 + seconds(2)).count(), 0);
}

TEST(SameSecretTest, ComparesWholeValues) {
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "abcd"));
  EXPECT_FALSE(SameSecret("", "a"));
}

}  // namespace
}  // namespace vigil::web
