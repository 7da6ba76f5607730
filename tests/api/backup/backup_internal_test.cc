// Backup behaviour that needs an engine seam, through the public calls, linked against the
// static libraries:
// - JET_errLogWriteFail: Begin's log record cannot be written (FaultFileSystem fails the fsync
//   of edb.log); the instance is then unavailable (JET_errInstanceUnavailable);
// - JET_errInstanceUnavailable: every backup call after a fatal log failure of a commit;
// - JET_errLogDiskFull: Begin while the log is in disk-full mode (LogProbeFileSystem);
// - JET_errOutOfMemory: the backup layer's allocation seam
//   (esent::backup::fail_next_allocation_for_testing());
// - JET_errTermInProgress: backup calls made while JetTerm runs (the instance's term observer);
// - stream integrity: every page of a database image streamed while a writer commits verifies
//   with esent::page::verify (checksum and page number), except the two header pages and the
//   trailer.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/jet.h"
#include "backup/backup_fixture.h"
#include "engine/events.h"
#include "engine/instance.h"
#include "backup/backup.h"
#include "engine/registry.h"
#include "fault_instance.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"
#include "log_probe_file_system.h"
#include "page/page.h"

namespace esent_test {
namespace {

using esent::io::FaultFileSystem;
using backup_test::AttachInfo;
using backup_test::LogInfo;
using backup_test::Streamed;
using backup_test::StreamFile;

// --- on an in-memory file system with faults ------------------------------------------------------

using fault_instance::Handles;
using fault_instance::kDatabase;
using fault_instance::kLogs;

// Recovery on, 128 KiB logs in /logs/ (also the system path), one session, db.edb with table t.
void StartWithDatabase(Handles& h) {
  ASSERT_EQ(JET_errSuccess,
            fault_instance::StartInstance(
                h, {.name_prefix = "backup-internal-", .log_file_kb = backup_test::kLogFileKb}));
  ASSERT_NO_FATAL_FAILURE(fault_instance::CreateSchema(h));
}

// One durable insert of a 500-byte value.
JET_ERR Insert(Handles& h, std::int32_t id) { return fault_instance::Insert(h, id, std::string(500, 'v')); }

class BackupFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    faults_ = std::make_shared<FaultFileSystem>(fault_instance::MemoryWithDirectories());
    ASSERT_NO_FATAL_FAILURE(fault_instance::InstallFileSystem(faults_));
  }

  void TearDown() override {
    if (h_.instance != 0) static_cast<void>(JetTerm2(h_.instance, JET_bitTermAbrupt));
    ASSERT_NO_FATAL_FAILURE(fault_instance::RestorePosixFileSystem());
  }

  // Arms one failure of the next fsync of edb.log.
  void FailNextLogSync() {
    esent::io::FaultOptions options;
    options.path_substring = "edb.log";
    faults_->fail_at(FaultFileSystem::Operation::kSync, 1, FaultFileSystem::Fault::kIoError, options);
  }

  std::shared_ptr<FaultFileSystem> faults_;
  Handles h_;
};

TEST_F(BackupFaultTest, BeginWhoseLogRecordCannotBeFlushedIsLogWriteFailAndTheInstanceIsUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(h_));
  ASSERT_EQ(JET_errSuccess, Insert(h_, 1));
  FailNextLogSync();
  EXPECT_EQ(JET_errLogWriteFail, JetBeginExternalBackupInstance(h_.instance, 0));
  EXPECT_EQ(1u, faults_->injected_count()) << "Begin flushed the log";
  faults_->clear_faults();
  // The failure is fatal for the instance: every later call is refused.
  char buffer[256];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInstanceUnavailable, JetGetAttachInfoInstanceA(h_.instance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errInstanceUnavailable, JetBeginExternalBackupInstance(h_.instance, 0));
}

TEST_F(BackupFaultTest, EveryBackupCallAfterAFatalLogFailureIsInstanceUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(h_));
  ASSERT_EQ(JET_errSuccess, Insert(h_, 1));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(h_.instance, 0));
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(h_.instance, kDatabase, &handle, &low, &high));
  FailNextLogSync();
  ASSERT_EQ(JET_errLogWriteFail, Insert(h_, 2)) << "the commit's fsync fails";
  faults_->clear_faults();
  std::vector<char> chunk(1 << 20);
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInstanceUnavailable, JetReadFileInstance(h_.instance, handle, chunk.data(),
                                                            static_cast<JET_UINT32>(chunk.size()), &actual));
  EXPECT_EQ(JET_errInstanceUnavailable, JetGetAttachInfoInstanceA(h_.instance, chunk.data(), 4096, &actual));
  EXPECT_EQ(JET_errInstanceUnavailable, JetGetLogInfoInstanceA(h_.instance, chunk.data(), 4096, &actual));
  EXPECT_EQ(JET_errInstanceUnavailable, JetTruncateLogInstance(h_.instance));
  EXPECT_EQ(JET_errInstanceUnavailable, JetBeginExternalBackupInstance(h_.instance, 0));
}

// JetEndExternalBackupInstance2 succeeds whatever its own writes do (ESE's cleanup does not
// fail), but a backup it could not record in the database header is an error event, not silence.
TEST_F(BackupFaultTest, EndWhoseHeaderWriteFailsSucceedsAndReportsAnErrorEvent) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(h_));
  ASSERT_EQ(JET_errSuccess, Insert(h_, 1));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(h_.instance, 0));
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(h_.instance, kDatabase, &handle, &low, &high));
  std::vector<char> chunk(1 << 20);
  JET_UINT32 actual = 0;
  JET_ERR err = JET_errSuccess;
  do {
    err = JetReadFileInstance(h_.instance, handle, chunk.data(), static_cast<JET_UINT32>(chunk.size()), &actual);
  } while (err == JET_errSuccess && actual > 0);
  ASSERT_EQ(JET_errSuccess, err);
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(h_.instance, handle));
  ASSERT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(h_.instance, chunk.data(), 4096, &actual));

  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  sink->set_pattern("%l: %v");
  auto logger = esent::engine::event_logger();
  logger->sinks().push_back(sink);
  esent::io::FaultOptions options;
  options.path_substring = "db.edb";
  options.sticky = true;
  faults_->fail_at(FaultFileSystem::Operation::kWrite, 1, FaultFileSystem::Fault::kIoError, options);
  const JET_ERR ended = JetEndExternalBackupInstance2(h_.instance, JET_bitBackupEndNormal);
  faults_->clear_faults();
  logger->sinks().pop_back();
  EXPECT_EQ(JET_errSuccess, ended);
  EXPECT_GT(faults_->injected_count(), 0u) << "End wrote no database header";
  const std::string text = captured.str();
  EXPECT_NE(text.find("error: ESENT: backup not recorded in a database header"), std::string::npos) << text;
}

TEST_F(BackupFaultTest, AnAllocationFailureInBeginIsOutOfMemoryAndStartsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(h_));
  esent::backup::fail_next_allocation_for_testing();
  EXPECT_EQ(JET_errOutOfMemory, JetBeginExternalBackupInstance(h_.instance, 0));
  char buffer[256];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoInstanceA(h_.instance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(h_.instance, 0)) << "the seam fails once";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(h_.instance, JET_bitBackupEndAbort));
}

TEST(BackupDiskFullTest, BeginWhileTheLogIsInDiskFullModeIsLogDiskFullAndStartsNothing) {
  auto probe = std::make_shared<LogProbeFileSystem>(fault_instance::MemoryWithDirectories(), kLogs);
  ASSERT_NO_FATAL_FAILURE(fault_instance::InstallFileSystem(probe));
  Handles h;
  StartWithDatabase(h);
  if (!::testing::Test::HasFatalFailure()) {
    probe->set_disk_full(true);
    JET_ERR first_error = JET_errSuccess;
    for (std::int32_t id = 0; id < 5000 && first_error == JET_errSuccess; ++id) first_error = Insert(h, id);
    EXPECT_EQ(JET_errLogDiskFull, first_error) << "the log volume filled up";
    EXPECT_EQ(JET_errLogDiskFull, JetBeginExternalBackupInstance(h.instance, 0));
    char buffer[256];
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoInstanceA(h.instance, buffer, sizeof(buffer), &actual));
    probe->set_disk_full(false);
  }
  if (h.instance != 0) static_cast<void>(JetTerm2(h.instance, JET_bitTermAbrupt));
  ASSERT_NO_FATAL_FAILURE(fault_instance::RestorePosixFileSystem());
}

// --- on the real file system -------------------------------------------------------------------

class BackupInternalTest : public BackupTest {};

TEST_F(BackupInternalTest, BackupCallsMadeWhileJetTermRunsAreTermInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  JET_ERR begin = JET_errSuccess;
  JET_ERR attach_info = JET_errSuccess;
  JET_ERR log_info = JET_errSuccess;
  auto engine_instance = esent::engine::Registry::process().find_instance(instance_);
  ASSERT_NE(nullptr, engine_instance);
  const JET_INSTANCE instance = instance_;
  engine_instance->set_term_observer([&begin, &attach_info, &log_info, instance] {
    begin = JetBeginExternalBackupInstance(instance, 0);
    char buffer[256];
    JET_UINT32 actual = 0;
    attach_info = JetGetAttachInfoInstanceA(instance, buffer, sizeof(buffer), &actual);
    log_info = JetGetLogInfoInstanceA(instance, buffer, sizeof(buffer), &actual);
  });
  ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
  EXPECT_EQ(JET_errTermInProgress, begin);
  EXPECT_EQ(JET_errTermInProgress, attach_info);
  EXPECT_EQ(JET_errTermInProgress, log_info);
}

TEST_F(BackupInternalTest, EveryPageOfAnImageStreamedWhileAWriterCommitsVerifies) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 300));
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> failures{0};
  std::thread writer([&] {
    JET_SESID sesid = 0;
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    if (JetBeginSessionA(instance_, &sesid, nullptr, nullptr) < 0 ||
        JetOpenDatabaseA(sesid, database_path_.c_str(), nullptr, &dbid, 0) < 0 ||
        JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table) < 0) {
      failures.fetch_add(1);
      return;
    }
    const std::string value(1500, 'w');
    for (std::int32_t id = 1000000; !stop.load(); ++id) {
      // New rows split and rewrite pages all over the tree while the stream reads them.
      if (InsertOn(sesid, table, id, value) == JET_errSuccess) {
        commits.fetch_add(1);
      } else {
        failures.fetch_add(1);
      }
    }
    JetCloseTable(sesid, table);
    JetEndSession(sesid, 0);
  });
  // The writer is stopped and joined however this test leaves (an ASSERT returns early).
  struct JoinOnExit {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~JoinOnExit() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } join_on_exit{stop, writer};

  // The writer is committing before the stream starts, and the stream leaves it room between
  // reads, so pages change while the image is read.
  for (int wait = 0; wait < 5000 && commits.load() < 3; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_GE(commits.load(), 3u) << "the writer never got going";
  const std::uint64_t commits_before = commits.load();
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  std::string image;
  JET_ERR err = JetOpenFileInstanceA(instance_, database_path_.c_str(), &handle, &low, &high);
  EXPECT_EQ(JET_errSuccess, err);
  if (err == JET_errSuccess) {
    std::vector<char> chunk(3 * std::size_t{page_size_});  // small reads: many interleavings
    JET_UINT32 actual = 0;
    do {
      err = JetReadFileInstance(instance_, handle, chunk.data(), static_cast<JET_UINT32>(chunk.size()), &actual);
      image.append(chunk.data(), err == JET_errSuccess ? actual : 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (err == JET_errSuccess && actual != 0);
    EXPECT_EQ(JET_errSuccess, err);
    EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  }
  stop = true;
  writer.join();
  std::cout << "writer commits during the stream: " << commits.load() << "\n";
  EXPECT_EQ(0u, failures.load());
  EXPECT_GT(commits.load(), commits_before) << "no commit while the image was streamed";
  ASSERT_EQ(JET_errSuccess, err);
  ASSERT_EQ(backup_test::Size64(low, high), image.size());
  ASSERT_EQ(0u, image.size() % page_size_);
  const std::size_t pages = image.size() / page_size_;
  ASSERT_GE(pages, 4u) << "2 header pages, data pages, 1 trailer";
  std::size_t verified = 0;
  for (std::size_t pgno = 2; pgno + 1 < pages; ++pgno) {
    std::span<const std::byte> page(reinterpret_cast<const std::byte*>(image.data()) + pgno * page_size_,
                                    page_size_);
    const esent::Status status = esent::page::verify(page, static_cast<esent::page::Pgno>(pgno));
    EXPECT_TRUE(status.ok()) << "page " << pgno << ": " << status.to_string();
    if (!status.ok()) break;
    ++verified;
  }
  EXPECT_EQ(pages - 3, verified);
  AbortBackup();
}

}  // namespace
}  // namespace esent_test
