// Restore's log-set checks that need a log header rewritten with a valid checksum (so that the
// refusal is about the field, not about a checksum): a backup log whose previous-generation
// link does not match (JET_errGivenLogFileIsNotContiguous) or whose signature differs
// (JET_errGivenLogFileHasBadSignature), and logs already in the instance's log folder with
// another signature (JET_errExistingLogFileHasBadSignature) or not contiguous with the backup's
// (JET_errExistingLogFileIsNotContiguous). Internal: it reseals headers with esent::checksum64
// (docs/format/log.md: the header checksum at byte 0 is XXH3-64 of bytes [8, 4096) with identity
// generation << 32; previous_created at byte 40; signature at byte 48).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "restore/restore_fixture.h"
#include "util/checksum.h"

namespace esent_test {
namespace {

using backup_test::ArchivedName;
using backup_test::ReadWholeFile;
using backup_test::WriteWholeFile;

constexpr std::size_t kHeaderBytes = 4096;
constexpr std::size_t kGenerationOffset = 16;
constexpr std::size_t kPreviousCreatedOffset = 40;
constexpr std::size_t kSignatureOffset = 48;

void Reseal(std::string& log) {
  std::uint32_t generation = 0;
  std::memcpy(&generation, log.data() + kGenerationOffset, sizeof(generation));
  const std::uint64_t checksum =
      esent::checksum64(log.data() + 8, kHeaderBytes - 8, std::uint64_t{generation} << 32);
  std::memcpy(log.data(), &checksum, sizeof(checksum));
}

// Changes one byte of the header field at `offset` of the log file `path` and reseals it.
void PatchHeader(const std::string& path, std::size_t offset) {
  std::string log = ReadWholeFile(path);
  ASSERT_GE(log.size(), kHeaderBytes) << path;
  std::string resealed = log;
  Reseal(resealed);
  ASSERT_EQ(log, resealed) << "the reseal helper does not reproduce the engine's header checksum";
  log[offset] = static_cast<char>(log[offset] ^ 0x01);
  Reseal(log);
  ASSERT_TRUE(WriteWholeFile(path, log));
}

class RestoreLogSetTest : public RestoreErrorTest {
 protected:
  // The generation after the set's last one, archived in the source folder by Prepare's Roll.
  std::string NextLogInSource() const { return folder_ + ArchivedName(run_.generations.back() + 1); }
  std::string NextLogInPaths() const { return paths_ + ArchivedName(run_.generations.back() + 1); }
};

TEST_F(RestoreLogSetTest, BrokenPreviousGenerationLinkIsGivenLogFileIsNotContiguous) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_NO_FATAL_FAILURE(PatchHeader(BadLog(1), kPreviousCreatedOffset));
  ExpectRefusedThenGoodRestoreWorks(JET_errGivenLogFileIsNotContiguous);
}

TEST_F(RestoreLogSetTest, OtherSignatureInTheSetIsGivenLogFileHasBadSignature) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_NO_FATAL_FAILURE(PatchHeader(BadLog(1), kSignatureOffset));
  ExpectRefusedThenGoodRestoreWorks(JET_errGivenLogFileHasBadSignature);
}

TEST_F(RestoreLogSetTest, ContiguousExistingLogIsRolledForward) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_TRUE(std::filesystem::exists(NextLogInSource()));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(NextLogInSource(), NextLogInPaths()));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreLogSetTest, ExistingLogWithAnotherSignatureIsExistingLogFileHasBadSignature) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(NextLogInSource(), NextLogInPaths()));
  ASSERT_NO_FATAL_FAILURE(PatchHeader(NextLogInPaths(), kSignatureOffset));
  EXPECT_EQ(JET_errExistingLogFileHasBadSignature, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  restore_test::RemoveFilesIn(paths_);
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreLogSetTest, ExistingLogNotFollowingTheSetIsExistingLogFileIsNotContiguous) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(NextLogInSource(), NextLogInPaths()));
  ASSERT_NO_FATAL_FAILURE(PatchHeader(NextLogInPaths(), kPreviousCreatedOffset));
  EXPECT_EQ(JET_errExistingLogFileIsNotContiguous, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  restore_test::RemoveFilesIn(paths_);
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreLogSetTest, ExistingCopyOfASetLogThatDiffersIsExistingLogFileIsNotContiguous) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  // Same signature and generation as the set's last log, but not identical to it.
  const std::string name = ArchivedName(run_.generations.back());
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(Good() + "/" + name, paths_ + name));
  ASSERT_NO_FATAL_FAILURE(PatchHeader(paths_ + name, kPreviousCreatedOffset));
  EXPECT_EQ(JET_errExistingLogFileIsNotContiguous, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  restore_test::RemoveFilesIn(paths_);
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

}  // namespace
}  // namespace esent_test
