// Fault injection through the public API: with an I/O error (EIO, ENOSPC or a short write) at
// any one write or fsync of a workload, every Jet call returns (an error or success, never a
// crash), and afterwards the database is either in its last clean state, or in the state the
// workload would have left, or refused with JET_errDatabaseDirtyShutdown — never silently wrong.
//
// Each trial builds the same clean database on an in-memory file system, arms one fault,
// runs the workload (attach, inserts, replaces, deletes, detach, term), clears the fault and
// reattaches in a new instance to see what is on disk. The on-disk checker runs on every
// database that attaches.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "api/jet.h"
#include "cache/buffer_cache.h"
#include "catalog/database.h"
#include "engine/registry.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"

namespace {

using esent::io::FaultFileSystem;
using Rows = std::map<std::int32_t, std::int32_t>;

constexpr const char* kDatabase = "/data/fault.edb";
constexpr std::int32_t kCleanRows = 300;
constexpr JET_API_PTR kDefaultCacheSizeMax = 2000000000;  // the parameter table's default

struct Handles {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
};

// The instance every phase uses, on whatever file system the registry holds.
JET_ERR Start(Handles& h, const char* name) {
  JET_ERR err = JetCreateInstanceA(&h.instance, name);
  if (err < 0) return err;
  JetSetSystemParameterA(&h.instance, 0, JET_paramRecovery, 0, "off");
  JetSetSystemParameterA(&h.instance, 0, JET_paramSystemPath, 0, "/data/");
  JetSetSystemParameterA(&h.instance, 0, JET_paramLogFilePath, 0, "/data/");
  err = JetInit(&h.instance);
  if (err < 0) return err;
  return JetBeginSession(h.instance, &h.sesid, nullptr, nullptr);
}

JET_ERR Insert(JET_SESID sesid, JET_TABLEID table, JET_COLUMNID key_column,
               JET_COLUMNID value_column, std::int32_t key, std::int32_t value) {
  JET_ERR err = JetPrepareUpdate(sesid, table, JET_prepInsert);
  if (err < 0) return err;
  std::string padding(60, static_cast<char>('a' + key % 26));
  if ((err = JetSetColumn(sesid, table, key_column, &key, 4, 0, nullptr)) < 0 ||
      (err = JetSetColumn(sesid, table, value_column, &value, 4, 0, nullptr)) < 0 ||
      (err = JetSetColumn(sesid, table, value_column + 126, padding.data(),
                          static_cast<JET_UINT32>(padding.size()), 0, nullptr)) < 0) {
    JetPrepareUpdate(sesid, table, JET_prepCancel);
    return err;
  }
  err = JetUpdate(sesid, table, nullptr, 0, nullptr);
  if (err < 0) JetPrepareUpdate(sesid, table, JET_prepCancel);
  return err;
}

// The clean database: table "T" (Key Long primary, Value Long, Pad Text), kCleanRows rows.
void BuildClean(Rows& rows) {
  Handles h;
  ASSERT_EQ(JET_errSuccess, Start(h, "fault.build"));
  JET_DBID dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(h.sesid, kDatabase, nullptr, &dbid, 0));
  JET_TABLEID table = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(h.sesid, dbid, "T", 0, 100, &table));
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  JET_COLUMNID key = 0, value = 0, pad = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(h.sesid, table, "Key", &def, nullptr, 0, &key));
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(h.sesid, table, "Value", &def, nullptr, 0, &value));
  def.coltyp = JET_coltypText;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(h.sesid, table, "Pad", &def, nullptr, 0, &pad));
  ASSERT_EQ(key, 1u);
  ASSERT_EQ(value, 2u);
  ASSERT_EQ(pad, 128u);  // Insert() finds it as value + 126
  const char index[] = "+Key\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(h.sesid, table, "primary", JET_bitIndexPrimary, index, sizeof(index), 100));
  for (std::int32_t k = 0; k < kCleanRows; ++k) {
    ASSERT_EQ(JET_errSuccess, Insert(h.sesid, table, key, value, k, k));
    rows[k] = k;
  }
  ASSERT_EQ(JET_errSuccess, JetCloseTable(h.sesid, table));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(h.sesid, dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(h.sesid, kDatabase));
  ASSERT_EQ(JET_errSuccess, JetTerm(h.instance));
}

// The workload under test. Returns whether every call succeeded; never stops at an error
// (every later call must still return, and the instance must still terminate).
bool Workload(Rows& expected) {
  Handles h;
  bool all_ok = Start(h, "fault.workload") == JET_errSuccess;
  if (!all_ok) {
    if (h.instance != 0) JetTerm(h.instance);
    return false;
  }
  auto check = [&](JET_ERR err) {
    if (err < 0) all_ok = false;
    return err;
  };
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  check(JetAttachDatabaseA(h.sesid, kDatabase, 0));
  if (check(JetOpenDatabaseA(h.sesid, kDatabase, nullptr, &dbid, 0)) >= 0 &&
      check(JetOpenTableA(h.sesid, dbid, "T", nullptr, 0, 0, &table)) >= 0) {
    for (std::int32_t k = kCleanRows; k < kCleanRows + 1500; ++k) {
      if (check(Insert(h.sesid, table, 1, 2, k, -k)) >= 0) expected[k] = -k;
    }
    for (std::int32_t k = 0; k < 100; ++k) {
      if (check(JetMakeKey(h.sesid, table, &k, 4, JET_bitNewKey)) < 0 ||
          check(JetSeek(h.sesid, table, JET_bitSeekEQ)) < 0) continue;
      if (k % 2 == 0) {
        if (check(JetDelete(h.sesid, table)) >= 0) expected.erase(k);
      } else if (check(JetPrepareUpdate(h.sesid, table, JET_prepReplace)) >= 0) {
        std::int32_t v = k * 1000;
        check(JetSetColumn(h.sesid, table, 2, &v, 4, 0, nullptr));
        if (check(JetUpdate(h.sesid, table, nullptr, 0, nullptr)) >= 0) {
          expected[k] = v;
        } else {
          JetPrepareUpdate(h.sesid, table, JET_prepCancel);
        }
      }
    }
    check(JetCloseTable(h.sesid, table));
    check(JetCloseDatabase(h.sesid, dbid, 0));
  }
  check(JetDetachDatabaseA(h.sesid, kDatabase));
  check(JetEndSession(h.sesid, 0));
  check(JetTerm(h.instance));
  return all_ok;
}

// What a fresh instance finds: JET_errDatabaseDirtyShutdown, or the rows.
JET_ERR ReadBack(Rows& found) {
  Handles h;
  JET_ERR err = Start(h, "fault.verify");
  EXPECT_EQ(JET_errSuccess, err);
  err = JetAttachDatabaseA(h.sesid, kDatabase, JET_bitDbReadOnly);
  if (err < 0) {
    JetTerm(h.instance);
    return err;
  }
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(h.sesid, kDatabase, nullptr, &dbid, JET_bitDbReadOnly));
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(h.sesid, dbid, "T", nullptr, 0, JET_bitTableReadOnly, &table));
  JET_ERR moved = JetMove(h.sesid, table, static_cast<JET_INT32>(0x80000000u) /* JET_MoveFirst */, 0);
  while (moved == JET_errSuccess) {
    std::int32_t key = 0, value = 0;
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(h.sesid, table, 1, &key, 4, &actual, 0, nullptr));
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(h.sesid, table, 2, &value, 4, &actual, 0, nullptr));
    found[key] = value;
    moved = JetMove(h.sesid, table, JET_MoveNext, 0);
  }
  EXPECT_EQ(JET_errNoCurrentRecord, moved);
  JetTerm(h.instance);
  return JET_errSuccess;
}

class StorageFaultTest : public ::testing::Test {
 protected:
  // A cache far smaller than the data, so pages are also written (evicted) in the middle of
  // the workload, not only when the database is detached.
  void SetUp() override {
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, 16, nullptr));
  }

  void TearDown() override {
    JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, kDefaultCacheSizeMax, nullptr);
    ASSERT_TRUE(esent::engine::Registry::process()
                    .set_file_system_for_testing(esent::io::posix_file_system())
                    .ok());
  }

  // A fresh clean database on a fresh memory file system behind a fault injector.
  void Fresh(Rows& clean) {
    auto memory = std::make_shared<esent::io::MemoryFileSystem>();
    ASSERT_TRUE(memory->create_directories("/data").ok());
    memory_ = memory;
    faults_ = std::make_shared<FaultFileSystem>(memory);
    ASSERT_TRUE(esent::engine::Registry::process().set_file_system_for_testing(faults_).ok());
    BuildClean(clean);
    faults_->reset_counts();
  }

  // The checker, straight on the file (the database must be clean).
  void Check() {
    esent::cache::BufferCache cache(64);
    esent::catalog::DatabaseOptions options;
    options.read_only = true;
    auto database = esent::catalog::Database::open(*memory_, cache, kDatabase, options);
    ASSERT_TRUE(database.ok()) << database.status().to_string();
    auto report = (*database)->check();
    ASSERT_TRUE(report.ok()) << report.status().to_string();
    EXPECT_TRUE((*database)->close().ok());
  }

  std::shared_ptr<esent::io::MemoryFileSystem> memory_;
  std::shared_ptr<FaultFileSystem> faults_;
};

TEST_F(StorageFaultTest, AnyFailedWriteOrSyncLeavesTheLastCleanStateOrADirtyDatabase) {
  // One clean run counts the workload's writes and syncs.
  Rows clean;
  Fresh(clean);
  Rows after = clean;
  ASSERT_TRUE(Workload(after));
  const std::uint64_t writes = faults_->count(FaultFileSystem::Operation::kWrite);
  const std::uint64_t syncs = faults_->count(FaultFileSystem::Operation::kSync);
  ASSERT_GT(writes, 0u);
  ASSERT_GT(syncs, 0u);
  std::printf("workload: %llu writes, %llu syncs\n", static_cast<unsigned long long>(writes),
              static_cast<unsigned long long>(syncs));

  const FaultFileSystem::Fault faults[] = {FaultFileSystem::Fault::kIoError,
                                           FaultFileSystem::Fault::kNoSpace,
                                           FaultFileSystem::Fault::kShortWrite};
  int dirty = 0, unchanged = 0, completed = 0;
  for (FaultFileSystem::Operation operation :
       {FaultFileSystem::Operation::kWrite, FaultFileSystem::Operation::kSync}) {
    const std::uint64_t total = operation == FaultFileSystem::Operation::kWrite ? writes : syncs;
    for (std::uint64_t nth = 1; nth <= total; ++nth) {
      const FaultFileSystem::Fault fault =
          operation == FaultFileSystem::Operation::kSync ? FaultFileSystem::Fault::kIoError : faults[nth % 3];
      SCOPED_TRACE(std::string(esent::io::operation_name(operation)) + " #" + std::to_string(nth) +
                   " fault " + std::to_string(static_cast<int>(fault)));
      Rows base;
      Fresh(base);
      faults_->fail_at(operation, nth, fault);
      Rows expected = base;
      const bool ok = Workload(expected);
      EXPECT_FALSE(ok) << "the injected fault was not reported";
      faults_->clear_faults();

      Rows found;
      JET_ERR err = ReadBack(found);
      if (err == JET_errDatabaseDirtyShutdown) {
        ++dirty;
        continue;
      }
      ASSERT_EQ(JET_errSuccess, err);
      if (found == base) {
        ++unchanged;
      } else {
        // A fault after the last write of the detach (e.g. at its final sync) may leave the
        // complete new state.
        ASSERT_EQ(found, after) << "the database holds neither its clean state nor the new one";
        ++completed;
      }
      Check();
    }
  }
  std::printf("outcomes: %d dirty, %d unchanged, %d completed\n", dirty, unchanged, completed);
}

}  // namespace
