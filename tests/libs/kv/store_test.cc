#include "libs/kv/store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"

namespace cs::kv {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kv-store-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::unique_ptr<Store> Open(bool sorted_batches) {
    StoreOptions options;
    options.path = dir_;
    options.column_families = {"state"};
    options.sorted_batches = sorted_batches;
    auto store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string dir_;
};

// Sorted runs per family, overwrites and a family range delete in the same
// batches: the shape of the metrics service's writes. RocksDB 7.8 asserts
// (or corrupts its memtable) if a range delete shares an insert hint with
// point keys.
TEST_F(StoreTest, SortedBatchesWithFamilyRangeDeletes) {
  auto store = Open(/*sorted_batches=*/true);
  ASSERT_NE(store, nullptr);
  const int cf = store->Cf("state");
  for (int round = 0; round < 20; ++round) {
    Batch batch(*store);
    for (int i = 0; i < 500; ++i) batch.Put(cf, absl::StrCat("agg/t/rep-", i, "/", round % 3), absl::StrCat(round));
    for (int i = 0; i < 500; ++i) batch.Put(cf, absl::StrCat("seen/", 1000 + round, "/rep-", i), "x");
    batch.DeleteRange(cf, "seen/", absl::StrCat("seen/", 1000 + round - 2, "/"));
    ASSERT_TRUE(store->Write(batch).ok());
  }
  auto agg = store->Get(cf, "agg/t/rep-7/1");
  ASSERT_TRUE(agg.ok());
  ASSERT_TRUE(agg->has_value());
  EXPECT_EQ(**agg, "19");
  int seen = 0;
  ASSERT_TRUE(store->Scan(cf, "seen/", [&](std::string_view, std::string_view) { return ++seen > 0; }).ok());
  EXPECT_EQ(seen, 3 * 500);  // the last three rounds
}

TEST_F(StoreTest, SortedBatchesRejectARangeDeleteInsideAFamily) {
  auto store = Open(/*sorted_batches=*/true);
  ASSERT_NE(store, nullptr);
  const int cf = store->Cf("state");
  Batch batch(*store);
  batch.Put(cf, "seen/1/a", "x");
  batch.DeleteRange(cf, "seen/0", "seen/1");
  absl::Status s = store->Write(batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  auto v = store->Get(cf, "seen/1/a");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());  // nothing of the batch was written
}

TEST_F(StoreTest, UnsortedStoreTakesAnyRangeDelete) {
  auto store = Open(/*sorted_batches=*/false);
  ASSERT_NE(store, nullptr);
  const int cf = store->Cf("state");
  Batch batch(*store);
  batch.Put(cf, "seen/0/a", "x");
  batch.Put(cf, "seen/1/a", "x");
  ASSERT_TRUE(store->Write(batch).ok());
  Batch del(*store);
  del.DeleteRange(cf, "seen/0", "seen/1");
  ASSERT_TRUE(store->Write(del).ok());
  EXPECT_FALSE(store->Get(cf, "seen/0/a")->has_value());
  EXPECT_TRUE(store->Get(cf, "seen/1/a")->has_value());
}

}  // namespace
}  // namespace cs::kv
