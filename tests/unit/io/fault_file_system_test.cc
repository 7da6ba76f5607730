// FaultFileSystem: counting, the nth-call rule, each fault and operation, sticky rules, the path
// filter, and that a failed call does not reach the base.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

using Operation = FaultFileSystem::Operation;
using Fault = FaultFileSystem::Fault;
using test_util::as_bytes;

class FaultFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(base_->create_directories("/d/sub").ok());
    test_util::write_file(*base_, "/d/file", "0123456789");
    test_util::write_file(*base_, "/d/other.log", "log");
    auto file = faults_.open_file("/d/file", OpenOptions{.write = true});
    ASSERT_TRUE(file.ok());
    file_ = std::move(file).value();
    faults_.reset_counts();
  }

  // Performs one call of `operation` through the fault file system; returns its error.
  Error perform(Operation operation) {
    std::vector<std::byte> buffer(4);
    switch (operation) {
      case Operation::kCurrentDirectory: return faults_.current_directory().status().error();
      case Operation::kDirectoryExists: return faults_.directory_exists("/d").status().error();
      case Operation::kCreateDirectories: return faults_.create_directories("/d/new").error();
      case Operation::kOpen:
        return faults_.open_file("/d/file", OpenOptions{}).status().error();
      case Operation::kFileExists: return faults_.file_exists("/d/file").status().error();
      case Operation::kFileSize: return faults_.file_size("/d/file").status().error();
      case Operation::kRemove:
        test_util::write_file(*base_, "/d/victim", "v");
        return faults_.remove_file("/d/victim").error();
      case Operation::kRename:
        test_util::write_file(*base_, "/d/victim", "v");
        return faults_.rename("/d/victim", "/d/renamed").error();
      case Operation::kSyncDirectory: return faults_.sync_directory("/d").error();
      case Operation::kList: return faults_.list_directory("/d").status().error();
      case Operation::kRemoveDirectory:
        EXPECT_TRUE(base_->create_directories("/d/empty").ok());
        return faults_.remove_directory("/d/empty").error();
      case Operation::kIsSymbolicLink: return faults_.is_symbolic_link("/d/file").status().error();
      case Operation::kRead: return file_->read_at(0, buffer).status().error();
      case Operation::kWrite: return file_->write_at(0, as_bytes("ab")).error();
      case Operation::kSync: return file_->sync().error();
      case Operation::kSize: return file_->size().status().error();
      case Operation::kTruncate: return file_->truncate(10).error();
      case Operation::kLock: return file_->lock(true).error();
    }
    return Error::kInternalError;
  }

  std::shared_ptr<MemoryFileSystem> base_ = std::make_shared<MemoryFileSystem>();
  FaultFileSystem faults_{base_};
  std::unique_ptr<File> file_;
};

// FaultOptions built field by field (GCC warns on designated initializers that skip a member
// with a non-trivial type).
FaultOptions options(bool sticky, std::string path_substring = {},
                     std::optional<std::size_t> short_write_bytes = std::nullopt) {
  FaultOptions result;
  result.sticky = sticky;
  result.path_substring = std::move(path_substring);
  result.short_write_bytes = short_write_bytes;
  return result;
}

std::vector<Operation> all_operations() {
  std::vector<Operation> operations;
  for (std::size_t index = 0; index < FaultFileSystem::kOperationCount; ++index) {
    operations.push_back(static_cast<Operation>(index));
  }
  return operations;
}

TEST_F(FaultFileSystemTest, CountsEveryOperationSeparately) {
  for (Operation operation : all_operations()) {
    ASSERT_EQ(perform(operation), Error::kSuccess) << operation_name(operation);
  }
  for (Operation operation : all_operations()) {
    EXPECT_EQ(faults_.count(operation), 1u) << operation_name(operation);
  }
  EXPECT_EQ(perform(Operation::kWrite), Error::kSuccess);
  EXPECT_EQ(faults_.count(Operation::kWrite), 2u);
  faults_.reset_counts();
  for (Operation operation : all_operations()) {
    EXPECT_EQ(faults_.count(operation), 0u) << operation_name(operation);
  }
  EXPECT_EQ(faults_.injected_count(), 0u);
}

TEST_F(FaultFileSystemTest, EachOperationFailsWithEachFault) {
  for (Operation operation : all_operations()) {
    for (Fault fault : {Fault::kIoError, Fault::kNoSpace}) {
      faults_.fail_at(operation, 1, fault);
      Error expected = fault == Fault::kIoError ? Error::kDiskIO : Error::kDiskFull;
      EXPECT_EQ(perform(operation), expected) << operation_name(operation);
      // Not sticky: the next call goes through.
      EXPECT_EQ(perform(operation), Error::kSuccess) << operation_name(operation);
    }
  }
  EXPECT_EQ(faults_.injected_count(), 2 * FaultFileSystem::kOperationCount);
}

TEST_F(FaultFileSystemTest, NthIsCountedFromArming) {
  for (int index = 0; index < 3; ++index) ASSERT_EQ(perform(Operation::kWrite), Error::kSuccess);
  faults_.fail_at(Operation::kWrite, 3, Fault::kIoError);
  EXPECT_EQ(perform(Operation::kRead), Error::kSuccess);  // other operations do not count
  EXPECT_EQ(perform(Operation::kWrite), Error::kSuccess);
  EXPECT_EQ(perform(Operation::kWrite), Error::kSuccess);
  EXPECT_EQ(perform(Operation::kWrite), Error::kDiskIO);
  EXPECT_EQ(perform(Operation::kWrite), Error::kSuccess);
  EXPECT_EQ(faults_.count(Operation::kWrite), 7u);  // failed calls are counted too
}

TEST_F(FaultFileSystemTest, StickyKeepsFailingUntilCleared) {
  faults_.fail_at(Operation::kSync, 2, Fault::kIoError, options(true));
  EXPECT_EQ(perform(Operation::kSync), Error::kSuccess);
  for (int index = 0; index < 5; ++index) EXPECT_EQ(perform(Operation::kSync), Error::kDiskIO);
  EXPECT_EQ(perform(Operation::kWrite), Error::kSuccess);
  faults_.clear_faults();
  EXPECT_EQ(perform(Operation::kSync), Error::kSuccess);
  EXPECT_EQ(faults_.injected_count(), 5u);
}

TEST_F(FaultFileSystemTest, PathFilterSelectsTheFilesThatFail) {
  auto log = faults_.open_file("/d/other.log", OpenOptions{.write = true});
  ASSERT_TRUE(log.ok());
  faults_.fail_at(Operation::kWrite, 2, Fault::kNoSpace, options(false, ".log"));
  EXPECT_TRUE(file_->write_at(0, as_bytes("x")).ok());
  EXPECT_TRUE(log.value()->write_at(0, as_bytes("1")).ok());
  EXPECT_TRUE(file_->write_at(0, as_bytes("x")).ok());  // does not match: not counted
  EXPECT_EQ(log.value()->write_at(0, as_bytes("2")).error(), Error::kDiskFull);
  EXPECT_TRUE(log.value()->write_at(0, as_bytes("3")).ok());
}

TEST_F(FaultFileSystemTest, PathFilterMatchesEitherSideOfARename) {
  test_util::write_file(*base_, "/d/a.tmp", "a");
  test_util::write_file(*base_, "/d/b", "b");
  faults_.fail_at(Operation::kRename, 1, Fault::kIoError,
                  options(true, "final"));
  EXPECT_TRUE(faults_.rename("/d/b", "/d/c").ok());
  EXPECT_EQ(faults_.rename("/d/a.tmp", "/d/final.edb").error(), Error::kDiskIO);
  EXPECT_FALSE(base_->file_exists("/d/final.edb").value());
  EXPECT_TRUE(base_->file_exists("/d/a.tmp").value());
}

TEST_F(FaultFileSystemTest, ShortWriteLeavesAPrefixAndReportsDiskFull) {
  std::string data(1000, 'w');
  faults_.fail_at(Operation::kWrite, 1, Fault::kShortWrite);
  EXPECT_EQ(file_->write_at(0, as_bytes(data)).error(), Error::kDiskFull);
  std::string content = test_util::read_file(*base_, "/d/file");
  EXPECT_EQ(content, std::string(500, 'w'));

  faults_.fail_at(Operation::kWrite, 1, Fault::kShortWrite, options(false, {}, 3));
  EXPECT_EQ(file_->write_at(0, as_bytes("abcdef")).error(), Error::kDiskFull);
  EXPECT_EQ(test_util::read_file(*base_, "/d/file").substr(0, 6), "abcwww");

  // On an operation other than a write it is a plain kDiskFull.
  faults_.fail_at(Operation::kTruncate, 1, Fault::kShortWrite);
  EXPECT_EQ(file_->truncate(0).error(), Error::kDiskFull);
  EXPECT_EQ(base_->file_size("/d/file").value(), 500u);
}

TEST_F(FaultFileSystemTest, FailedCallsDoNotReachTheBase) {
  faults_.fail_at(Operation::kOpen, 1, Fault::kIoError);
  EXPECT_EQ(faults_.open_file("/d/created", OpenOptions{.write = true, .create = true})
                .status()
                .error(),
            Error::kDiskIO);
  EXPECT_FALSE(base_->file_exists("/d/created").value());
  faults_.fail_at(Operation::kWrite, 1, Fault::kIoError);
  EXPECT_EQ(file_->write_at(0, as_bytes("XX")).error(), Error::kDiskIO);
  EXPECT_EQ(test_util::read_file(*base_, "/d/file"), "0123456789");
  faults_.fail_at(Operation::kRemove, 1, Fault::kIoError);
  EXPECT_EQ(faults_.remove_file("/d/file").error(), Error::kDiskIO);
  EXPECT_TRUE(base_->file_exists("/d/file").value());
}

TEST(FaultOverCrashTest, FailedSyncLeavesDataVolatile) {
  auto crash = std::make_shared<CrashFileSystem>();
  FaultFileSystem faults(crash);
  auto file = test_util::open_for_write(faults, "/data");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(faults.sync_directory("/").ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("first")).ok());
  ASSERT_TRUE(file.value()->sync().ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("SECOND")).ok());
  faults.fail_at(Operation::kSync, 1, Fault::kIoError);
  EXPECT_EQ(file.value()->sync().error(), Error::kDiskIO);
  crash->crash();
  EXPECT_EQ(test_util::read_file(faults, "/data"), "first");
  // The old handle is dead after the crash, through the wrapper too.
  EXPECT_EQ(file.value()->sync().error(), Error::kDiskIO);
}

TEST(FaultFileSystemThreadsTest, CountsAreExactUnderConcurrency) {
  auto base = std::make_shared<MemoryFileSystem>();
  FaultFileSystem faults(base);
  auto file = test_util::open_for_write(faults, "/shared");
  ASSERT_TRUE(file.ok());
  faults.fail_at(Operation::kWrite, 100, Fault::kIoError);
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 250;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int index = 0; index < kWritesPerThread; ++index) {
        auto offset = static_cast<std::uint64_t>(thread * kWritesPerThread + index);
        if (!file.value()->write_at(offset, as_bytes("x")).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(faults.count(Operation::kWrite), static_cast<std::uint64_t>(kThreads * kWritesPerThread));
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(faults.injected_count(), 1u);
}

TEST(FaultFileSystemLifetimeTest, FilesOutliveTheWrapper) {
  auto base = std::make_shared<MemoryFileSystem>();
  auto faults = std::make_unique<FaultFileSystem>(base);
  auto file = test_util::open_for_write(*faults, "/f");
  ASSERT_TRUE(file.ok());
  faults.reset();
  EXPECT_TRUE(file.value()->write_at(0, as_bytes("after")).ok());
  EXPECT_EQ(test_util::read_file(*base, "/f"), "after");
}

}  // namespace
}  // namespace esent::io
