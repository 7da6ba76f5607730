// The database header's log fields, as ESE writes them (JetGetDatabaseFileInfo, JET_DbInfoMisc):
//
//   attached (DirtyShutdown): genMinRequired = genMaxRequired = genCommitted = the generation it
//     was attached in; lgposAttach in that generation; lgposConsistent, lgposDetach and their
//     times null (ESE's DBFILEHDR::SetDbstate for a dirty state; the attach resets the detach
//     marks).
//   clean (CleanShutdown), however it got there (JetDetachDatabase, JetTerm, crash recovery at
//     JetInit, a restore): genMinRequired = genMaxRequired = genCommitted = 0 and
//     logtimeGenMaxCreate null (SetDbstate asserts both generations 0 for a clean state);
//     lgposConsistent = lgposDetach = the log position where the database became consistent;
//     logtimeConsistent = logtimeDetach = when.
//   without a log (JET_paramRecovery off): clean with every log position null.
//
// Where a position can be pinned exactly it is: recovery (and the restore built on it) closes
// the databases at the end of the log it wrote and records that same end as the checkpoint, so
// lgposConsistent equals the checkpoint it leaves. A live detach is bracketed: after the attach,
// in the current generation, before the reattach or the checkpoint of the term that follows.
#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <tuple>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

std::tuple<std::int32_t, std::uint16_t, std::uint16_t> Key(const JET_LGPOS& position) {
  return {position.lGeneration, position.isec, position.ib};
}

bool IsNull(const JET_LGPOS& position) {
  return position.lGeneration == 0 && position.isec == 0 && position.ib == 0;
}

bool IsNull(const JET_LOGTIME& time) {
  JET_LOGTIME zero;
  std::memset(&zero, 0, sizeof(zero));
  return std::memcmp(&time, &zero, sizeof(time)) == 0;
}

bool Same(const JET_LOGTIME& a, const JET_LOGTIME& b) { return std::memcmp(&a, &b, sizeof(a)) == 0; }

std::string Describe(const JET_LGPOS& position) {
  return "(" + std::to_string(position.lGeneration) + "," + std::to_string(position.isec) + "," +
         std::to_string(position.ib) + ")";
}

// Seconds since the epoch of a (UTC) JET_LOGTIME.
std::int64_t UnixSeconds(const JET_LOGTIME& time) {
  std::tm parts{};
  parts.tm_sec = time.bSeconds;
  parts.tm_min = time.bMinutes;
  parts.tm_hour = time.bHours;
  parts.tm_mday = time.bDay;
  parts.tm_mon = time.bMonth - 1;
  parts.tm_year = time.bYear;
  return static_cast<std::int64_t>(timegm(&parts));
}

JET_DBINFOMISC4 HeaderOf(const std::string& path) {
  JET_DBINFOMISC4 misc{};
  EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &misc, sizeof(misc), JET_DbInfoMisc))
      << path;
  return misc;
}

ESENT_CHECKPOINTINFO CheckpointOf(const std::string& folder) {
  ESENT_CHECKPOINTINFO info{};
  const std::string path = folder + "edb.chk";
  EXPECT_EQ(JET_errSuccess, EsentGetCheckpointFileInfoA(path.c_str(), &info, sizeof(info))) << path;
  return info;
}

class HeaderFieldsTest : public RestoreTest {
 protected:
  // The fields every dirty (attached) header has: attached in `generation`, nothing consistent
  // or detached.
  static void ExpectAttached(const JET_DBINFOMISC4& misc, std::uint32_t generation) {
    EXPECT_EQ(static_cast<JET_UINT32>(JET_dbstateDirtyShutdown), misc.dbstate);
    EXPECT_EQ(generation, misc.genMinRequired);
    EXPECT_EQ(generation, misc.genMaxRequired);
    EXPECT_EQ(generation, misc.genCommitted);
    EXPECT_EQ(static_cast<std::int32_t>(generation), misc.lgposAttach.lGeneration);
    EXPECT_FALSE(IsNull(misc.logtimeAttach));
    EXPECT_TRUE(IsNull(misc.lgposConsistent)) << Describe(misc.lgposConsistent);
    EXPECT_TRUE(IsNull(misc.logtimeConsistent));
    EXPECT_TRUE(IsNull(misc.lgposDetach)) << Describe(misc.lgposDetach);
    EXPECT_TRUE(IsNull(misc.logtimeDetach));
  }

  // The fields every clean header has, with the time it became consistent between `before` and
  // now (seconds since the epoch; LOGTIMEs have whole seconds).
  static void ExpectClean(const JET_DBINFOMISC4& misc, std::int64_t before) {
    EXPECT_EQ(static_cast<JET_UINT32>(JET_dbstateCleanShutdown), misc.dbstate);
    EXPECT_EQ(0u, misc.genMinRequired);
    EXPECT_EQ(0u, misc.genMaxRequired);
    EXPECT_EQ(0u, misc.genCommitted);
    EXPECT_TRUE(IsNull(misc.logtimeGenMaxCreate));
    EXPECT_TRUE(Key(misc.lgposConsistent) == Key(misc.lgposDetach))
        << Describe(misc.lgposConsistent) << " vs " << Describe(misc.lgposDetach);
    EXPECT_TRUE(Same(misc.logtimeConsistent, misc.logtimeDetach));
    ASSERT_FALSE(IsNull(misc.logtimeConsistent));
    const std::int64_t consistent = UnixSeconds(misc.logtimeConsistent);
    EXPECT_GE(consistent, before - 1);
    EXPECT_LE(consistent, static_cast<std::int64_t>(std::time(nullptr)) + 1);
  }

  // Clean, consistent at a position of the log after `attach`, in `generation`.
  static void ExpectCleanAfter(const JET_DBINFOMISC4& misc, std::int64_t before,
                               const JET_LGPOS& attach, std::uint32_t generation) {
    ASSERT_NO_FATAL_FAILURE(ExpectClean(misc, before));
    EXPECT_EQ(static_cast<std::int32_t>(generation), misc.lgposConsistent.lGeneration);
    EXPECT_TRUE(Key(attach) < Key(misc.lgposConsistent))
        << "attached at " << Describe(attach) << ", consistent at " << Describe(misc.lgposConsistent);
  }

  static std::int64_t Now() { return static_cast<std::int64_t>(std::time(nullptr)); }
};

TEST_F(HeaderFieldsTest, AnAttachedDatabaseNeedsTheGenerationItWasAttachedInAndIsNotConsistent) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(ExpectAttached(HeaderOf(database_path_), 1));
  // JetGetDatabaseInfo on the open database reports the same header.
  JET_DBINFOMISC4 open{};
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseInfoA(sesid_, dbid_, &open, sizeof(open), JET_DbInfoMisc));
  ASSERT_NO_FATAL_FAILURE(ExpectAttached(open, 1));

  // Detached in generation 3 (clean), then attached again in generation 4: dirty again, the
  // consistent and detach marks of the earlier detach gone.
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
  table_ = 0;
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, database_path_.c_str()));
  ASSERT_EQ(3u, CurrentGeneration());
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, database_path_.c_str(), 0));
  ASSERT_NO_FATAL_FAILURE(ExpectAttached(HeaderOf(database_path_), 4));
}

TEST_F(HeaderFieldsTest, JetDetachDatabaseLeavesACleanHeaderConsistentAtTheDetach) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 30));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_NO_FATAL_FAILURE(InsertRows(31, 10));
  const JET_DBINFOMISC4 attached = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectAttached(attached, 1));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
  table_ = 0;
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  const std::int64_t before = Now();
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, database_path_.c_str()));

  const JET_DBINFOMISC4 detached = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectCleanAfter(detached, before, attached.lgposAttach, 2));
  // The detach is logged after the database became consistent: attaching again lands later.
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, database_path_.c_str(), 0));
  const JET_DBINFOMISC4 reattached = HeaderOf(database_path_);
  EXPECT_TRUE(Key(detached.lgposConsistent) < Key(reattached.lgposAttach))
      << "consistent at " << Describe(detached.lgposConsistent) << ", attached again at "
      << Describe(reattached.lgposAttach);
}

TEST_F(HeaderFieldsTest, JetTermLeavesACleanHeaderConsistentBeforeItsCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 30));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_NO_FATAL_FAILURE(InsertRows(31, 10));
  const JET_DBINFOMISC4 attached = HeaderOf(database_path_);
  const std::int64_t before = Now();
  ASSERT_NO_FATAL_FAILURE(StopSource());

  const JET_DBINFOMISC4 clean = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectCleanAfter(clean, before, attached.lgposAttach, 3));
  // The term's checkpoint follows the detach and the term records.
  const ESENT_CHECKPOINTINFO checkpoint = CheckpointOf(folder_);
  EXPECT_EQ(1u, checkpoint.fCleanShutdown);
  EXPECT_TRUE(Key(clean.lgposConsistent) < Key(checkpoint.lgposCheckpoint))
      << "consistent at " << Describe(clean.lgposConsistent) << ", checkpoint at "
      << Describe(checkpoint.lgposCheckpoint);
}

TEST_F(HeaderFieldsTest, CrashRecoveryLeavesACleanHeaderConsistentAtTheEndOfTheLogItWrote) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 30));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_NO_FATAL_FAILURE(InsertRows(31, 10));
  // An open transaction the recovery must undo.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, table_, JET_prepInsert));
  const std::int32_t id = 99;
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, id_column_, &id, sizeof(id), 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, table_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermDirty));
  instance_ = 0;
  sesid_ = 0;
  table_ = 0;
  const JET_DBINFOMISC4 crashed = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectAttached(crashed, 1));

  const std::int64_t before = Now();
  JET_INSTANCE recovered = Start("b");
  ASSERT_NE(JET_INSTANCE{0}, recovered);
  const JET_DBINFOMISC4 clean = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectCleanAfter(clean, before, crashed.lgposAttach, 4));
  const ESENT_CHECKPOINTINFO checkpoint = CheckpointOf(folder_);
  EXPECT_TRUE(Key(clean.lgposConsistent) == Key(checkpoint.lgposCheckpoint))
      << "consistent at " << Describe(clean.lgposConsistent) << ", recovery's checkpoint at "
      << Describe(checkpoint.lgposCheckpoint);
  EXPECT_EQ(crashed.signLog.ulRandom, clean.signLog.ulRandom);
}

TEST_F(HeaderFieldsTest, ARestoreLeavesACleanHeaderConsistentAtTheEndOfTheLogItWrote) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupWithThreeGenerations(SetFolder(), &run));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::uint32_t last_backed_up = run.generations.back();

  const std::int64_t before = Now();
  JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
  const JET_DBINFOMISC4 clean = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectClean(clean, before));
  // Replay ends after the last generation of the set; recovery writes on from there.
  EXPECT_GT(clean.lgposConsistent.lGeneration, static_cast<std::int32_t>(last_backed_up) - 1);
  const ESENT_CHECKPOINTINFO checkpoint = CheckpointOf(folder_);
  EXPECT_TRUE(Key(clean.lgposConsistent) == Key(checkpoint.lgposCheckpoint))
      << "consistent at " << Describe(clean.lgposConsistent) << ", restore's checkpoint at "
      << Describe(checkpoint.lgposCheckpoint);
  // No backup is recorded in a restored database.
  EXPECT_EQ(0u, clean.bkinfoFullCur.genLow);
  EXPECT_EQ(0u, clean.bkinfoFullPrev.genLow);
  restore_test::ExpectSameRows(expected, InitAndReadRows(restorer, database_path_), "restored");
}

TEST_F(HeaderFieldsTest, WithoutALogTheCleanHeaderHasNoLogPosition) {
  Options options;
  options.recovery = false;
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(options));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  const std::int64_t before = Now();
  ASSERT_NO_FATAL_FAILURE(StopSource());
  const JET_DBINFOMISC4 clean = HeaderOf(database_path_);
  ASSERT_NO_FATAL_FAILURE(ExpectClean(clean, before));
  EXPECT_TRUE(IsNull(clean.lgposConsistent)) << Describe(clean.lgposConsistent);
  EXPECT_TRUE(IsNull(clean.lgposAttach)) << Describe(clean.lgposAttach);
}

}  // namespace
}  // namespace esent_test
