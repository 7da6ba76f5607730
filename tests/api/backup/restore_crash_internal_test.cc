// A restore interrupted by a crash can simply be run again (issue 7, Deliver 1): a full
// streamed backup set is written to /set on a crashable in-memory file system, more rows are
// committed after it (their logs stay in /logs, so restore rolls them forward), the database is
// lost; then a restore runs and, at a seeded file-system call, the state a power loss would leave
// is taken (io::CrashFileSystem::clone_crashed: unsynced writes dropped or kept at random, last
// sectors torn). On that state the same restore runs again and must give every row back.
//
// Every call of the restore is a crash point (seed n crashes at call (n - 1) mod the calls + 1);
// ESENT_LONG_TESTS=1 tries each point with 4 seeds; ESENT_CRASH_SEED=n runs only seed n.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "api/jet.h"
#include "backup_fixture.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
namespace fi = fault_instance;

constexpr const char* kSet = "/set/";
constexpr int kRowsBefore = 200;
constexpr int kFirstLaterRow = 1000;
constexpr int kRowsAfter = 100;

bool long_tests() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::string(value) == "1";
}

// An instance configured as fi::StartInstance does, not initialised.
JET_ERR Configure(JET_INSTANCE* instance) {
  JET_ERR err = JetCreateInstanceA(instance, fi::NextInstanceName("restore-crash-").c_str());
  if (err < 0) return err;
  if ((err = JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, fi::kLogs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, fi::kLogs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramTempPath, 0, "/data/temp.edb")) < 0) {
    return err;
  }
  return JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
}

// Streams `name` of the backup in progress into `target` on `file_system`, synced.
void StreamTo(JET_INSTANCE instance, const std::string& name, const std::string& target,
              esent::io::FileSystem& file_system) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0, high = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance, name.c_str(), &handle, &low, &high)) << name;
  esent::io::OpenOptions options;
  options.write = options.create = options.truncate = true;
  auto out = file_system.open_file(target, options);
  ASSERT_TRUE(out.ok()) << target;
  std::vector<std::byte> buffer(64 * 1024);
  std::uint64_t offset = 0;
  for (;;) {
    JET_UINT32 actual = 0;
    ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance, handle, buffer.data(),
                                                  static_cast<JET_UINT32>(buffer.size()), &actual));
    if (actual == 0) break;
    ASSERT_TRUE((*out)->write_at(offset, std::span<const std::byte>(buffer.data(), actual)).ok());
    offset += actual;
  }
  ASSERT_TRUE((*out)->sync().ok());
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance, handle));
}

std::string LastComponent(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// The durable state before any restore: a full set in /set, rows after it in /logs, no database.
std::shared_ptr<CrashFileSystem> PrepareLostDatabase() {
  auto crash = std::make_shared<CrashFileSystem>();
  EXPECT_TRUE(crash->create_directories("/logs").ok());
  EXPECT_TRUE(crash->create_directories("/data").ok());
  EXPECT_TRUE(crash->create_directories("/set").ok());
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, fi::StartInstance(h));
  fi::CreateSchema(h);
  const std::string value(300, 'v');
  for (int id = 1; id <= kRowsBefore; ++id) EXPECT_EQ(JET_errSuccess, fi::Insert(h, id, value));
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(h.instance, 0));
  StreamTo(h.instance, fi::kDatabase, std::string(kSet) + "db.edb", *crash);
  std::vector<char> names(8192, '\0');
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(h.instance, names.data(),
                                                   static_cast<JET_UINT32>(names.size()), &actual));
  for (const std::string& log : backup_test::SplitMultiString(names.data(), names.size())) {
    StreamTo(h.instance, log, kSet + LastComponent(log), *crash);
  }
  EXPECT_EQ(JET_errSuccess, JetTruncateLogInstance(h.instance));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(h.instance, JET_bitBackupEndNormal));
  EXPECT_TRUE(crash->sync_directory("/set").ok());
  for (int id = kFirstLaterRow; id < kFirstLaterRow + kRowsAfter; ++id) {
    EXPECT_EQ(JET_errSuccess, fi::Insert(h, id, value));
  }
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
  EXPECT_TRUE(crash->remove_file(fi::kDatabase).ok());
  EXPECT_TRUE(crash->sync_directory("/data").ok());
  return crash;
}

JET_ERR Restore() {
  JET_INSTANCE instance = 0;
  JET_ERR err = Configure(&instance);
  if (err >= 0) err = JetRestoreInstanceA(instance, kSet, nullptr, nullptr);
  JetTerm(instance);
  return err;
}

// Every id of table t after a JetInit on the current file system.
std::set<std::int32_t> RestoredIds() {
  std::set<std::int32_t> ids;
  JET_INSTANCE instance = 0;
  EXPECT_EQ(JET_errSuccess, Configure(&instance));
  EXPECT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, fi::kDatabase, 0));
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, fi::kDatabase, nullptr, &dbid, 0));
  if (JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table) == JET_errSuccess) {
    JET_COLUMNDEF def{};
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "id", &def, sizeof def, JET_ColInfo));
    for (JET_ERR err = JetMove(sesid, table, static_cast<JET_INT32>(JET_MoveFirst), 0); err >= 0;
         err = JetMove(sesid, table, JET_MoveNext, 0)) {
      std::int32_t id = 0;
      JET_UINT32 got = 0;
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, def.columnid, &id, sizeof id, &got, 0, nullptr));
      ids.insert(id);
    }
  } else {
    ADD_FAILURE() << "table t is missing";
  }
  JetTerm2(instance, JET_bitTermAbrupt);
  return ids;
}

std::set<std::int32_t> ExpectedIds() {
  std::set<std::int32_t> ids;
  for (int id = 1; id <= kRowsBefore; ++id) ids.insert(id);
  for (int id = kFirstLaterRow; id < kFirstLaterRow + kRowsAfter; ++id) ids.insert(id);
  return ids;
}

class RestoreCrash : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

TEST_F(RestoreCrash, AnUninterruptedRestoreGivesEveryRowBack) {
  std::shared_ptr<CrashFileSystem> crash = PrepareLostDatabase();
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(JET_errSuccess, Restore());
  EXPECT_EQ(ExpectedIds(), RestoredIds());
}

TEST_F(RestoreCrash, ARestoreCrashedAtAnyCallCanBeRunAgain) {
  std::shared_ptr<CrashFileSystem> prepared = PrepareLostDatabase();
  ASSERT_FALSE(HasFailure());
  // How many file-system calls one restore makes.
  auto counted = std::make_shared<FaultFileSystem>(prepared->clone_durable());
  std::atomic<std::uint64_t> calls{0};
  counted->set_call_observer([&](FaultFileSystem::Operation, const std::string&) { ++calls; });
  fi::InstallFileSystem(counted);
  ASSERT_EQ(JET_errSuccess, Restore());
  const std::uint64_t total = calls.load();
  ASSERT_GT(total, 10u);

  // Every call is a crash point; the seed picks what the power loss keeps of unsynced writes.
  std::vector<std::uint64_t> seeds;
  if (const char* only = std::getenv("ESENT_CRASH_SEED")) {
    seeds.push_back(std::strtoull(only, nullptr, 10));
  } else {
    const std::uint64_t per_call = long_tests() ? 4 : 1;
    for (std::uint64_t seed = 1; seed <= total * per_call; ++seed) seeds.push_back(seed);
  }
  for (std::uint64_t seed : seeds) {
    const std::uint64_t crash_at = 1 + (seed - 1) % total;
    std::mt19937_64 random(seed);
    const esent::io::CrashOptions options{random(), (random() & 1) != 0,
                                          static_cast<double>(random() % 3) * 0.4};
    if (seed % 25 == 1 || seeds.size() == 1) {
      std::printf("restore crash seed %llu: power lost at call %llu of %llu\n",
                  static_cast<unsigned long long>(seed), static_cast<unsigned long long>(crash_at),
                  static_cast<unsigned long long>(total));
    }
    std::shared_ptr<CrashFileSystem> running = prepared->clone_durable();
    auto watched = std::make_shared<FaultFileSystem>(running);
    std::atomic<std::uint64_t> seen{0};
    std::shared_ptr<CrashFileSystem> after_crash;
    watched->set_call_observer([&](FaultFileSystem::Operation, const std::string&) {
      if (++seen == crash_at) after_crash = running->clone_crashed(options);
    });
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
    ASSERT_EQ(JET_errSuccess, Restore()) << "seed " << seed;
    ASSERT_NE(nullptr, after_crash) << "seed " << seed;
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after_crash));
    ASSERT_EQ(JET_errSuccess, Restore()) << "seed " << seed << " (crash at call " << crash_at
                                         << "): the restore run again";
    EXPECT_EQ(ExpectedIds(), RestoredIds()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace esent_test
