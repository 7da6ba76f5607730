// Seeded randomized differential test of the record API against a std::map model: inserts,
// replaces, deletes, seeks and moves on a table with a unique primary index and a non-unique
// secondary index, with some operations inside transactions that are committed or rolled back.
// The whole table is compared with the model periodically and again after detach + reattach.
//
// The seed is printed; rerun one with ESENT_STRESS_SEED=<seed>. ESENT_LONG_TESTS=1 runs more
// operations and seeds.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

struct Row {
  std::int32_t value = 0;
  std::string name;
  bool operator==(const Row& other) const = default;
};

using Model = std::map<std::int32_t, Row>;

class StorageStressTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase("stress.edb");
    columns_ = CreateKeyedTable(dbid_);
    tableid_ = OpenTable(dbid_, "Keyed");
  }

  Row ReadRow() {
    Row row;
    row.value = RetrieveInt32(tableid_, columns_.value);
    char buffer[256];
    std::uint32_t actual = 0;
    const JET_ERR err = JetRetrieveColumn(sesid_, tableid_, columns_.name, buffer, sizeof(buffer),
                                          &actual, 0, nullptr);
    EXPECT_TRUE(err == JET_errSuccess || err == JET_wrnColumnNull) << err;
    row.name.assign(buffer, err == JET_errSuccess ? actual : 0);
    return row;
  }

  // Compares the whole table, through both indexes, with the model.
  void CheckAgainstModel(const Model& model, const std::string& when) {
    SCOPED_TRACE(when);
    ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "primary"));
    Model found;
    JET_ERR err = JetMove(sesid_, tableid_, kMoveFirst, 0);
    while (err == JET_errSuccess) {
      const std::int32_t key = RetrieveInt32(tableid_, columns_.key);
      ASSERT_TRUE(found.empty() || found.rbegin()->first < key) << "primary order at " << key;
      found[key] = ReadRow();
      err = JetMove(sesid_, tableid_, kMoveNext, 0);
    }
    ASSERT_EQ(JET_errNoCurrentRecord, err);
    ASSERT_EQ(model, found);

    // Secondary index: (value, key) pairs in order.
    std::vector<std::pair<std::int32_t, std::int32_t>> expected;
    for (const auto& [key, row] : model) {
      expected.emplace_back(row.value, key);
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
    std::vector<std::pair<std::int32_t, std::int32_t>> secondary;
    err = JetMove(sesid_, tableid_, kMoveFirst, 0);
    while (err == JET_errSuccess) {
      secondary.emplace_back(RetrieveInt32(tableid_, columns_.value),
                             RetrieveInt32(tableid_, columns_.key));
      err = JetMove(sesid_, tableid_, kMoveNext, 0);
    }
    ASSERT_EQ(JET_errNoCurrentRecord, err);
    ASSERT_EQ(expected, secondary);
    ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "primary"));
  }

  void RunWorkload(std::uint32_t seed, int operations);

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  JET_TABLEID tableid_ = kNilTableid;
};

void StorageStressTest::RunWorkload(std::uint32_t seed, int operations) {
  std::mt19937 random(seed);
  auto uniform = [&random](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  const int key_space = 400;
  Model model;
  Model committed;  // model at the start of the open transaction
  bool in_transaction = false;

  for (int op = 0; op < operations; ++op) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " op " + std::to_string(op));
    const std::int32_t key = uniform(0, key_space - 1);
    const int choice = uniform(0, 99);
    if (choice < 30) {  // insert
      Row row{uniform(0, 40), std::string(static_cast<std::size_t>(uniform(0, 60)), 'a')};
      if (!row.name.empty()) {
        row.name[0] = static_cast<char>('a' + op % 26);
      }
      const JET_ERR err = InsertRow(tableid_, columns_, key, row.value, row.name);
      if (model.count(key) != 0) {
        ASSERT_EQ(JET_errKeyDuplicate, err);
      } else {
        ASSERT_EQ(JET_errSuccess, err);
        model[key] = row;
      }
    } else if (choice < 45) {  // replace
      const JET_ERR seek = SeekInt32(tableid_, key, JET_bitSeekEQ);
      if (model.count(key) == 0) {
        ASSERT_EQ(JET_errRecordNotFound, seek);
        continue;
      }
      ASSERT_EQ(JET_errSuccess, seek);
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
      Row row = model[key];
      if (uniform(0, 1) == 0) {
        row.value = uniform(0, 40);
        ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, row.value));
      } else {
        row.name = std::string(static_cast<std::size_t>(uniform(1, 200)), 'r');
        ASSERT_EQ(JET_errSuccess, SetString(tableid_, columns_.name, row.name));
      }
      ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
      model[key] = row;
    } else if (choice < 60) {  // delete
      const JET_ERR seek = SeekInt32(tableid_, key, JET_bitSeekEQ);
      if (model.count(key) == 0) {
        ASSERT_EQ(JET_errRecordNotFound, seek);
        continue;
      }
      ASSERT_EQ(JET_errSuccess, seek);
      ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
      model.erase(key);
    } else if (choice < 75) {  // seek GE / LE on the primary index
      const bool greater = uniform(0, 1) == 0;
      const JET_ERR err = SeekInt32(tableid_, key, greater ? JET_bitSeekGE : JET_bitSeekLE);
      auto it = model.lower_bound(key);
      if (!greater && (it == model.end() || it->first != key)) {
        it = it == model.begin() ? model.end() : std::prev(it);
      }
      if (it == model.end()) {
        ASSERT_EQ(JET_errRecordNotFound, err);
        continue;
      }
      ASSERT_EQ(it->first == key ? JET_errSuccess : JET_wrnSeekNotEqual, err);
      ASSERT_EQ(it->first, RetrieveInt32(tableid_, columns_.key));
      // Walk a few records forward.
      const int steps = uniform(1, 5);
      for (int step = 0; step < steps; ++step) {
        ++it;
        const JET_ERR move = JetMove(sesid_, tableid_, kMoveNext, 0);
        if (it == model.end()) {
          ASSERT_EQ(JET_errNoCurrentRecord, move);
          break;
        }
        ASSERT_EQ(JET_errSuccess, move);
        ASSERT_EQ(it->first, RetrieveInt32(tableid_, columns_.key));
        ASSERT_EQ(it->second, ReadRow());
      }
    } else if (choice < 85) {  // seek on the secondary index
      const std::int32_t value = uniform(0, 40);
      ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
      const JET_ERR err = SeekInt32(tableid_, value, JET_bitSeekEQ);
      std::int32_t first_key = -1;
      for (const auto& [model_key, row] : model) {
        if (row.value == value) {
          first_key = model_key;
          break;
        }
      }
      if (first_key < 0) {
        ASSERT_EQ(JET_errRecordNotFound, err);
      } else {
        ASSERT_EQ(JET_errSuccess, err);
        ASSERT_EQ(first_key, RetrieveInt32(tableid_, columns_.key));
      }
      ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "primary"));
    } else if (choice < 93) {  // transaction boundaries
      if (!in_transaction) {
        ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
        committed = model;
        in_transaction = true;
      } else if (uniform(0, 2) == 0) {
        ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
        model = committed;
        in_transaction = false;
      } else {
        ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
        in_transaction = false;
      }
    } else {  // record count from the first record
      std::uint32_t count = 0;
      if (model.empty()) {
        ASSERT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveFirst, 0));
      } else {
        ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
        ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
        ASSERT_EQ(model.size(), count);
      }
    }
    if (op % 500 == 499) {
      CheckAgainstModel(model, "periodic check");
      if (HasFatalFailure()) {
        return;
      }
    }
  }
  if (in_transaction) {
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  }
  CheckAgainstModel(model, "before detach");
  if (HasFatalFailure()) {
    return;
  }

  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  const std::string path = DatabasePath("stress.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid_, 0));
  tableid_ = OpenTable(dbid_, "Keyed");
  CheckAgainstModel(model, "after detach and reattach");
}

std::vector<std::uint32_t> Seeds() {
  if (const char* seed = std::getenv("ESENT_STRESS_SEED")) {
    return {static_cast<std::uint32_t>(std::strtoul(seed, nullptr, 10))};
  }
  std::vector<std::uint32_t> seeds = {1, 20260101, 424242};
  if (std::getenv("ESENT_LONG_TESTS") != nullptr) {
    std::random_device device;
    for (int i = 0; i < 5; ++i) {
      seeds.push_back(device());
    }
  }
  return seeds;
}

int Operations() { return std::getenv("ESENT_LONG_TESTS") != nullptr ? 40000 : 4000; }

TEST_F(StorageStressTest, RandomOperationsMatchTheModel) {
  const std::vector<std::uint32_t> seeds = Seeds();
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::cout << "[ stress   ] seed " << seeds[i] << " (" << Operations() << " operations)"
              << std::endl;
    if (i > 0) {
      // A fresh table for each seed.
      ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
      ASSERT_EQ(JET_errSuccess, JetDeleteTableA(sesid_, dbid_, "Keyed"));
      columns_ = CreateKeyedTable(dbid_);
      tableid_ = OpenTable(dbid_, "Keyed");
    }
    RunWorkload(seeds[i], Operations());
    if (HasFatalFailure()) {
      return;
    }
  }
}

// Bulk load in ascending, descending and interleaved key order (exercises page splits at the
// right end, the left end and in the middle), then delete every other row.
TEST_F(StorageStressTest, BulkLoadInSeveralOrdersThenThinOut) {
  Model model;
  for (std::int32_t i = 0; i < 1500; ++i) {
    const std::int32_t ascending = i * 3;
    const std::int32_t descending = 100000 - i * 3;
    const std::int32_t middle = 50000 + (i % 2 == 0 ? i : -i);
    for (std::int32_t key : {ascending, descending, middle}) {
      if (model.count(key) == 0) {
        ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, key, key % 17, "bulk"));
        model[key] = Row{key % 17, "bulk"};
      }
    }
  }
  CheckAgainstModel(model, "after bulk load");
  bool drop = false;
  for (auto it = model.begin(); it != model.end();) {
    if (drop) {
      ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, it->first, JET_bitSeekEQ));
      ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
      it = model.erase(it);
    } else {
      ++it;
    }
    drop = !drop;
  }
  CheckAgainstModel(model, "after thinning");
}

}  // namespace
}  // namespace esent_test
