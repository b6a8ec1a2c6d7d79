// The cap on memory-hard hashes running at once: past it a credential is refused at once
// (the server answers 503) instead of waiting, the store lock is free while a hash runs, and
// a slot is usable again when its hash is done. Deterministic: the hashes here wait on a
// signal, so no timing decides whether the cap is reached.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "web/server_state.h"

namespace vigil::web {
namespace {

TEST(HashSlots, PastTheCapACredentialIsRefusedWithoutHashing) {
  HashSlots slots(2);
  std::mutex store;
  std::promise<void> go;
  std::shared_future<void> release = go.get_future().share();
  std::promise<void> first_in;
  std::promise<void> second_in;
  auto hold = [&](std::promise<void>& entered) {
    std::unique_lock<std::mutex> lock(store);
    return slots.Run(lock, [&] {
      entered.set_value();
      release.wait();
      return 1;
    });
  };
  auto a = std::async(std::launch::async, [&] { return hold(first_in); });
  auto b = std::async(std::launch::async, [&] { return hold(second_in); });
  first_in.get_future().wait();
  second_in.get_future().wait();

  // Both holders are hashing, each with the store lock released: it can be taken here.
  std::unique_lock<std::mutex> lock(store, std::try_to_lock);
  ASSERT_TRUE(lock.owns_lock());
  bool ran = false;
  auto third = slots.Run(lock, [&] {
    ran = true;
    return 3;
  });
  EXPECT_FALSE(third.has_value());
  EXPECT_FALSE(ran);
  EXPECT_TRUE(lock.owns_lock());
  lock.unlock();

  go.set_value();
  EXPECT_EQ(a.get(), std::optional<int>(1));
  EXPECT_EQ(b.get(), std::optional<int>(1));

  // Both slots are free again, and a caller holding the lock gets it back after the hash.
  lock.lock();
  auto again = slots.Run(lock, [&] { return 4; });
  EXPECT_EQ(again, std::optional<int>(4));
  EXPECT_TRUE(lock.owns_lock());
}

TEST(HashSlots, ACallerWithoutTheLockDoesNotTakeIt) {
  HashSlots slots(1);
  std::mutex store;
  std::unique_lock<std::mutex> lock(store, std::defer_lock);
  auto out = slots.Run(lock, [&] {
    // The lock is free during the hash.
    EXPECT_TRUE(store.try_lock());
    store.unlock();
    return 7;
  });
  EXPECT_EQ(out, std::optional<int>(7));
  EXPECT_FALSE(lock.owns_lock());
}

}  // namespace
}  // namespace vigil::web
