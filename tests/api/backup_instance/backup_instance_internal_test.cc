// JetBackupInstance behaviour that needs an engine seam (issue 8 contract §1, §2), through the
// public calls, linked against the static libraries:
// - JET_errLogWriteFail: the log record / roll of the backup cannot be flushed (FaultFileSystem
//   fails the fsync of edb.log); nothing is written to the directory; the instance is then
//   unavailable;
// - JET_errInstanceUnavailable: a JetBackupInstance after a fatal log failure of a commit;
// - JET_errTermInProgress: a JetBackupInstance made while JetTerm runs (the term observer);
// - a fault at any write or sync of a non-atomic full backup: the call fails and the directory
//   holds nothing (empty as before); the next backup succeeds;
// - the manifest is written last: no file of the backup is written after it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/jet.h"
#include "backup_instance/backup_instance_fixture.h"
#include "backup_instance/backup_instance_memory.h"
#include "engine/instance.h"
#include "engine/registry.h"
#include "fault_instance.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"

namespace esent_test {
namespace {

using esent::io::FaultFileSystem;
namespace fi = fault_instance;
namespace bm = backup_instance_memory;

class BackupInstanceFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    memory_ = std::make_shared<esent::io::MemoryFileSystem>();
    bm::CreateFolders(*memory_);
    faults_ = std::make_shared<FaultFileSystem>(memory_);
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(faults_));
    ASSERT_EQ(JET_errSuccess, bm::StartSource(h_, true));
    ASSERT_NO_FATAL_FAILURE(bm::InsertRange(h_, 1, 100));
  }

  void TearDown() override {
    if (h_.instance != 0) static_cast<void>(JetTerm2(h_.instance, JET_bitTermAbrupt));
    ASSERT_NO_FATAL_FAILURE(fi::RestorePosixFileSystem());
  }

  // The entries of /bk (recursive names are not needed: the suites check the top level and new/).
  std::vector<std::string> BackupEntries(const std::string& folder = bm::kBackupDir) {
    auto listed = memory_->list_directory(folder);
    EXPECT_TRUE(listed.ok()) << folder;
    return listed.ok() ? listed.value() : std::vector<std::string>{};
  }

  void FailNextLogSync() {
    esent::io::FaultOptions options;
    options.path_substring = "edb.log";
    faults_->fail_at(FaultFileSystem::Operation::kSync, 1, FaultFileSystem::Fault::kIoError, options);
  }

  std::shared_ptr<esent::io::MemoryFileSystem> memory_;
  std::shared_ptr<FaultFileSystem> faults_;
  fi::Handles h_;
};

TEST_F(BackupInstanceFaultTest, ALogThatCannotBeFlushedIsLogWriteFailAndWritesNothing) {
  FailNextLogSync();
  EXPECT_EQ(JET_errLogWriteFail, JetBackupInstanceA(h_.instance, bm::kBackupDir, 0, nullptr));
  EXPECT_EQ(1u, faults_->injected_count()) << "the backup flushed the log";
  faults_->clear_faults();
  EXPECT_TRUE(BackupEntries().empty());
  EXPECT_EQ(JET_errInstanceUnavailable, JetBackupInstanceA(h_.instance, bm::kBackupDir, 0, nullptr));
  EXPECT_TRUE(BackupEntries().empty());
}

TEST_F(BackupInstanceFaultTest, AfterAFatalLogFailureIsInstanceUnavailable) {
  FailNextLogSync();
  ASSERT_EQ(JET_errLogWriteFail, fi::Insert(h_, 5000, std::string(300, 'v'))) << "the commit's fsync fails";
  faults_->clear_faults();
  EXPECT_EQ(JET_errInstanceUnavailable, JetBackupInstanceA(h_.instance, bm::kBackupDir, 0, nullptr));
  EXPECT_EQ(JET_errInstanceUnavailable,
            JetBackupInstanceA(h_.instance, bm::kBackupDir, JET_bitBackupAtomic, nullptr));
  EXPECT_EQ(JET_errInstanceUnavailable, JetBackupInstanceA(h_.instance, nullptr, 0, nullptr));
  EXPECT_TRUE(BackupEntries().empty());
}

TEST_F(BackupInstanceFaultTest, AFaultAtAnyWriteOrSyncOfANonAtomicFullLeavesTheDirectoryEmpty) {
  const FaultFileSystem::Operation operations[] = {FaultFileSystem::Operation::kWrite,
                                                   FaultFileSystem::Operation::kSync};
  // Count them in one backup into /bk/count (a folder of its own).
  ASSERT_TRUE(memory_->create_directories("/bk/count").ok());
  faults_->reset_counts();
  std::uint64_t counts[2] = {0, 0};
  faults_->set_call_observer([&](FaultFileSystem::Operation operation, const std::string& path) {
    if (path.find("/bk/count") == std::string::npos) return;
    for (std::size_t i = 0; i < 2; ++i) counts[i] += operation == operations[i] ? 1 : 0;
  });
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(h_.instance, "/bk/count", 0, nullptr));
  faults_->set_call_observer({});
  ASSERT_GT(counts[0], 0u);
  ASSERT_GT(counts[1], 0u);
  int run = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::uint64_t nth = 1; nth <= counts[i]; ++nth) {
      const std::string what = std::string(esent::io::operation_name(operations[i])) + " #" + std::to_string(nth);
      const std::string dir = "/bk/run" + std::to_string(++run);
      ASSERT_TRUE(memory_->create_directories(dir).ok());
      esent::io::FaultOptions options;
      options.path_substring = dir;
      faults_->fail_at(operations[i], nth, FaultFileSystem::Fault::kIoError, options);
      const JET_ERR err = JetBackupInstanceA(h_.instance, dir.c_str(), 0, nullptr);
      const std::uint64_t injected = faults_->injected_count();
      faults_->clear_faults();
      ASSERT_GE(injected, 1u) << what << ": the fault did not fire";
      EXPECT_LT(err, 0) << what;
      EXPECT_TRUE(BackupEntries(dir).empty()) << what << ": the failed backup left files";
      ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(h_.instance, dir.c_str(), 0, nullptr)) << what << ": the next one";
      EXPECT_EQ(JET_errSuccess, bm::Verify(dir)) << what;
      if (HasFailure()) return;
    }
  }
}

TEST_F(BackupInstanceFaultTest, TheManifestIsTheLastFileWritten) {
  for (JET_GRBIT grbit : {JET_GRBIT{0}, JET_GRBIT{JET_bitBackupAtomic}}) {
    const std::string dir = grbit == 0 ? "/bk/plain" : "/bk/atomic";
    ASSERT_TRUE(memory_->create_directories(dir).ok());
    std::vector<std::string> written;
    faults_->set_call_observer([&](FaultFileSystem::Operation operation, const std::string& path) {
      if (operation == FaultFileSystem::Operation::kWrite && path.find(dir) != std::string::npos) {
        written.push_back(path);
      }
    });
    ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(h_.instance, dir.c_str(), grbit, nullptr));
    faults_->set_call_observer({});
    ASSERT_FALSE(written.empty());
    EXPECT_NE(std::string::npos, written.back().find(backup_instance_test::kManifestName))
        << "the last file written was " << written.back();
    std::size_t first_manifest_write = written.size();
    for (std::size_t i = 0; i < written.size(); ++i) {
      if (written[i].find(backup_instance_test::kManifestName) != std::string::npos) {
        first_manifest_write = std::min(first_manifest_write, i);
      } else if (first_manifest_write < written.size()) {
        ADD_FAILURE() << written[i] << " was written after the manifest";
      }
    }
    ASSERT_NO_FATAL_FAILURE(bm::InsertRange(h_, 2000 + static_cast<int>(grbit) * 100, 20));
  }
}

// --- on the real file system -----------------------------------------------------------------

class BackupInstanceTermTest : public BackupInstanceTest {};

TEST_F(BackupInstanceTermTest, AJetBackupInstanceMadeWhileJetTermRunsIsTermInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  const std::string dir = BackupDir();
  JET_ERR during_term = JET_errSuccess;
  auto engine_instance = esent::engine::Registry::process().find_instance(instance_);
  ASSERT_NE(nullptr, engine_instance);
  const JET_INSTANCE instance = instance_;
  engine_instance->set_term_observer([&during_term, instance, dir] {
    during_term = JetBackupInstanceA(instance, dir.c_str(), 0, nullptr);
  });
  ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
  EXPECT_EQ(JET_errTermInProgress, during_term);
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty());
}

}  // namespace
}  // namespace esent_test
