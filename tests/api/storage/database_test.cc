// Acceptance tests of the database-level API: JetCreateDatabase(2), JetAttachDatabase(2),
// JetDetachDatabase(2), JetOpenDatabase, JetCloseDatabase, JetGetDatabaseInfo,
// JetGetDatabaseFileInfo and JetSetDatabaseSize, in their A and W forms.
//
// Sources: the learn.microsoft.com pages of each function (return-code tables quoted in the
// comments), and ESE's source (microsoft/Extensible-Storage-Engine) where the pages are silent.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class DatabaseTest : public StorageTest {
 protected:
  // Creates a database holding one table, closes and detaches it: a clean file on disk.
  std::string MakeDetachedDatabase(const std::string& file_name = "detached.edb") {
    JET_DBID dbid = CreateDatabase(file_name);
    JET_TABLEID tableid = CreateTable(dbid, "Kept");
    AddColumn(tableid, "Number", JET_coltypLong);
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
    EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
    const std::string path = DatabasePath(file_name);
    EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
    return path;
  }

  JET_DBINFOMISC FileInfoMisc(const std::string& path) {
    JET_DBINFOMISC misc{};
    EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &misc, sizeof(misc),
                                                      JET_DbInfoMisc));
    return misc;
  }
};

// --- JetCreateDatabase -------------------------------------------------------------------

TEST_F(DatabaseTest, CreateDatabaseCreatesTheFileAndReturnsAnOpenDbid) {
  const std::string path = DatabasePath("new.edb");
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  EXPECT_NE(kNilDbid, dbid);
  EXPECT_TRUE(std::filesystem::exists(path));
  // The database is created attached and open: a table can be created through the dbid.
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid, "T", 0, 100, &tableid));
}

TEST_F(DatabaseTest, CreateDatabaseWideEntryPointCreatesTheFile) {
  const std::string path = DatabasePath("wide.edb");
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess,
            JetCreateDatabaseW(sesid_, Widen(path).c_str(), nullptr, &dbid, 0));
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseW(sesid_, Widen(path).c_str()));
}

TEST_F(DatabaseTest, CreateDatabase2WithMaxSizeCreatesTheFile) {
  const std::string path = DatabasePath("sized.edb");
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errSuccess, JetCreateDatabase2A(sesid_, path.c_str(), 4096, &dbid, 0));
  EXPECT_TRUE(std::filesystem::exists(path));
  JET_DBID wide = kNilDbid;
  EXPECT_EQ(JET_errSuccess,
            JetCreateDatabase2W(sesid_, Widen(DatabasePath("sized-w.edb")).c_str(), 0, &wide, 0));
}

// JetCreateDatabase docs: JET_errDatabaseInvalidPages "if cpgDatabaseSizeMax is larger than the
// maximum number of pages allowed in a database. The current maximum is 2147483646 (0x7ffffffe)".
TEST_F(DatabaseTest, CreateDatabase2BeyondTheMaximumPageCountIsDatabaseInvalidPages) {
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseInvalidPages,
            JetCreateDatabase2A(sesid_, DatabasePath("huge.edb").c_str(), 0xFFFFFFFFu, &dbid, 0));
  EXPECT_FALSE(std::filesystem::exists(DatabasePath("huge.edb")));
}

// JetCreateDatabase docs: "JET_errDatabaseDuplicate: The database named in szFilename already
// exists. When this error is returned, the database is not attached."
TEST_F(DatabaseTest, CreateDatabaseOverAnExistingFileIsDatabaseDuplicate) {
  const std::string path = MakeDetachedDatabase();
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseDuplicate, JetCreateDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  // Not attached: opening it fails.
  EXPECT_EQ(JET_errDatabaseNotFound, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
}

TEST_F(DatabaseTest, CreateDatabaseOfAnAttachedDatabaseIsDatabaseDuplicate) {
  CreateDatabase("attached.edb");
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseDuplicate,
            JetCreateDatabaseA(sesid_, DatabasePath("attached.edb").c_str(), nullptr, &dbid, 0));
}

// JetCreateDatabase docs: JET_bitDbOverwriteExisting "the old database will be overwritten with a
// new one".
TEST_F(DatabaseTest, OverwriteExistingReplacesTheOldDatabase) {
  const std::string path = MakeDetachedDatabase();
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, path.c_str(), nullptr, &dbid,
                                               JET_bitDbOverwriteExisting));
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid, "Kept", nullptr, 0, 0, &tableid));
}

// ESE ErrIsamCreateDatabase: a NULL or empty name is JET_errDatabaseInvalidPath.
TEST_F(DatabaseTest, CreateDatabaseWithEmptyOrNullNameIsDatabaseInvalidPath) {
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetCreateDatabaseA(sesid_, "", nullptr, &dbid, 0));
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetCreateDatabaseA(sesid_, nullptr, nullptr, &dbid, 0));
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetCreateDatabaseW(sesid_, u"", nullptr, &dbid, 0));
}

// UNVERIFIED: a missing folder fails when the file is created (Windows ERROR_PATH_NOT_FOUND,
// which ESE's OS layer maps to JET_errInvalidPath); ESE only turns JET_errInvalidPath from path
// completion into JET_errDatabaseInvalidPath.
TEST_F(DatabaseTest, CreateDatabaseInAMissingFolderIsInvalidPath) {
  JET_DBID dbid = kNilDbid;
  const std::string path = dir_.path() + "/no/such/folder/x.edb";
  EXPECT_EQ(JET_errInvalidPath, JetCreateDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
}

// ESE ErrIsamCreateDatabase: with JET_paramCreatePathIfNotExist the missing folders are created.
TEST_F(DatabaseTest, CreatePathIfNotExistCreatesMissingFolders) {
  JET_INSTANCE instance = CreateInstance("create.path");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = BeginSession(instance);
  const std::string path = dir_.path() + "/made/on/demand/x.edb";
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
  EXPECT_TRUE(std::filesystem::exists(path));
}

// --- JetAttachDatabase / JetDetachDatabase ---------------------------------------------------

TEST_F(DatabaseTest, AttachAndOpenADetachedDatabaseFindsItsTables) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid, "Kept", nullptr, 0, 0, &tableid));
}

TEST_F(DatabaseTest, AttachAndOpenThroughTheWideEntryPoints) {
  const std::u16string path = Widen(MakeDetachedDatabase());
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseW(sesid_, path.c_str(), 0));
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseW(sesid_, path.c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabase2W(sesid_, path.c_str(), 0));
}

TEST_F(DatabaseTest, AttachDatabase2WithMaxSizeSucceeds) {
  const std::string path = MakeDetachedDatabase();
  EXPECT_EQ(JET_errSuccess, JetAttachDatabase2A(sesid_, path.c_str(), 100000, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabase2A(sesid_, path.c_str(), 0));
  EXPECT_EQ(JET_errSuccess, JetAttachDatabase2W(sesid_, Widen(path).c_str(), 0, 0));
}

// ESE ErrIsamAttachDatabase returns the warning JET_wrnDatabaseAttached when the database is
// already attached to the instance.
TEST_F(DatabaseTest, AttachingAnAttachedDatabaseWarnsDatabaseAttached) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  EXPECT_EQ(JET_wrnDatabaseAttached, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  // One detach is enough: the second attach did not add a reference.
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
  EXPECT_EQ(JET_errDatabaseNotFound, JetDetachDatabaseA(sesid_, path.c_str()));
}

// JetAttachDatabase docs: "JET_errFileNotFound: The file given in szFilename does not exist."
TEST_F(DatabaseTest, AttachingAMissingFileIsFileNotFound) {
  const std::string path = DatabasePath("missing.edb");
  EXPECT_EQ(JET_errFileNotFound, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  EXPECT_EQ(JET_errFileNotFound, JetAttachDatabase2W(sesid_, Widen(path).c_str(), 0, 0));
}

TEST_F(DatabaseTest, AttachingWithAnEmptyNameIsDatabaseInvalidPath) {
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetAttachDatabaseA(sesid_, "", 0));
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetAttachDatabaseA(sesid_, nullptr, 0));
}

// UNVERIFIED: a file that is not a database (here, zero-filled bytes) is rejected; ESE reports a
// bad header as JET_errReadVerifyFailure (checksum) or JET_errDatabaseCorrupted; we pin "an error".
TEST_F(DatabaseTest, AttachingAFileThatIsNotADatabaseFails) {
  const std::string path = DatabasePath("garbage.edb");
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(nullptr, file);
    std::string zeros(65536, '\0');
    ASSERT_EQ(zeros.size(), std::fwrite(zeros.data(), 1, zeros.size(), file));
    std::fclose(file);
  }
  EXPECT_LT(JetAttachDatabaseA(sesid_, path.c_str(), 0), JET_errSuccess);
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseNotFound, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
}

// JetDetachDatabase docs: JET_errInTransaction for a detach inside a transaction (found by
// tests/fuzz api_fuzz: a rollback after such a detach used the freed catalog).
TEST_F(DatabaseTest, DetachingInsideATransactionIsInTransaction) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  EXPECT_EQ(JET_errInTransaction, JetDetachDatabaseA(sesid_, path.c_str()));
  EXPECT_EQ(JET_errInTransaction, JetDetachDatabaseA(sesid_, nullptr));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
}

// JetDetachDatabase docs: JET_errDatabaseNotFound for a database that is not attached.
TEST_F(DatabaseTest, DetachingADatabaseThatIsNotAttachedIsDatabaseNotFound) {
  EXPECT_EQ(JET_errDatabaseNotFound,
            JetDetachDatabaseA(sesid_, DatabasePath("never.edb").c_str()));
  EXPECT_EQ(JET_errDatabaseNotFound,
            JetDetachDatabase2W(sesid_, Widen(DatabasePath("never.edb")).c_str(), 0));
}

// JetDetachDatabase docs: JET_errDatabaseInUse while a session still has it open.
TEST_F(DatabaseTest, DetachingAnOpenDatabaseIsDatabaseInUse) {
  JET_DBID dbid = CreateDatabase("open.edb");
  EXPECT_EQ(JET_errDatabaseInUse, JetDetachDatabaseA(sesid_, DatabasePath("open.edb").c_str()));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, DatabasePath("open.edb").c_str()));
}

// JetDetachDatabase docs: "If szFilename is NULL, all databases attached ... will be detached."
TEST_F(DatabaseTest, DetachWithNullNameDetachesEveryDatabase) {
  JET_DBID first = CreateDatabase("one.edb");
  JET_DBID second = CreateDatabase("two.edb");
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, first, 0));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, second, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, nullptr));
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseNotFound,
            JetOpenDatabaseA(sesid_, DatabasePath("one.edb").c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(JET_errDatabaseNotFound,
            JetOpenDatabaseA(sesid_, DatabasePath("two.edb").c_str(), nullptr, &dbid, 0));
}

TEST_F(DatabaseTest, DataSurvivesDetachAndReattach) {
  JET_DBID dbid = CreateDatabase("persist.edb");
  const KeyedColumns columns = CreateKeyedTable(dbid);
  JET_TABLEID tableid = OpenTable(dbid, "Keyed");
  for (std::int32_t key = 1; key <= 50; ++key) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid, columns, key, key * 10, "row"));
  }
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  const std::string path = DatabasePath("persist.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));

  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  tableid = OpenTable(dbid, "Keyed");
  const std::vector<std::int32_t> keys = ScanInt32(tableid, columns.key);
  ASSERT_EQ(50u, keys.size());
  EXPECT_EQ(1, keys.front());
  EXPECT_EQ(50, keys.back());
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid, 17, JET_bitSeekEQ));
  EXPECT_EQ(170, RetrieveInt32(tableid, columns.value));
}

TEST_F(DatabaseTest, DataSurvivesTerminationAndANewInstance) {
  JET_DBID dbid = CreateDatabase("term.edb");
  const KeyedColumns columns = CreateKeyedTable(dbid);
  JET_TABLEID tableid = OpenTable(dbid, "Keyed");
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid, columns, 7, 70, "seven"));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));

  // JetTerm detaches cleanly.
  EXPECT_EQ(JET_dbstateCleanShutdown, FileInfoMisc(DatabasePath("term.edb")).dbstate);

  JET_INSTANCE second = InitStorageInstance("second");
  ASSERT_NE(JET_INSTANCE{0}, second);
  JET_SESID sesid = BeginSession(second);
  const std::string path = DatabasePath("term.edb");
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "Keyed", nullptr, 0, 0, &tableid));
  std::int32_t key = 7;
  ASSERT_EQ(JET_errSuccess, JetMakeKey(sesid, tableid, &key, sizeof(key), JET_bitNewKey));
  ASSERT_EQ(JET_errSuccess, JetSeek(sesid, tableid, JET_bitSeekEQ));
  char name[32] = {};
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errSuccess,
            JetRetrieveColumn(sesid, tableid, columns.name, name, sizeof(name), &actual, 0, nullptr));
  EXPECT_EQ("seven", std::string(name, actual));
}

// --- read-only attach -----------------------------------------------------------------------

// JetOpenDatabase docs: "JET_wrnFileOpenReadOnly: The file was attached as read-only, but
// JetOpenDatabase did not pass JET_bitDbReadOnly. The database is still opened read-only."
TEST_F(DatabaseTest, OpeningAReadOnlyAttachmentWithoutTheFlagWarnsFileOpenReadOnly) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), JET_bitDbReadOnly));
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_wrnFileOpenReadOnly, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  EXPECT_EQ(JET_errSuccess,
            JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, JET_bitDbReadOnly));
}

// UNVERIFIED: ESE refuses DDL and updates through a read-only database with
// JET_errPermissionDenied (ErrDIRCheckUpdatable / FMP::FReadOnlyAttach checks).
TEST_F(DatabaseTest, ReadOnlyAttachmentRefusesDdlAndUpdatesWithPermissionDenied) {
  JET_DBID dbid = CreateDatabase("ro.edb");
  const KeyedColumns columns = CreateKeyedTable(dbid);
  JET_TABLEID tableid = OpenTable(dbid, "Keyed");
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid, columns, 1, 10));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  const std::string path = DatabasePath("ro.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));

  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), JET_bitDbReadOnly));
  ASSERT_EQ(JET_errSuccess,
            JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, JET_bitDbReadOnly));
  JET_TABLEID created = kNilTableid;
  EXPECT_EQ(JET_errPermissionDenied, JetCreateTableA(sesid_, dbid, "New", 0, 100, &created));
  tableid = OpenTable(dbid, "Keyed");
  // Reading works.
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid, kMoveFirst, 0));
  EXPECT_EQ(10, RetrieveInt32(tableid, columns.value));
  EXPECT_EQ(JET_errPermissionDenied, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  EXPECT_EQ(JET_errPermissionDenied, JetDelete(sesid_, tableid));
}

// --- JetOpenDatabase / JetCloseDatabase ------------------------------------------------------

// JetOpenDatabase docs: JET_errDatabaseNotFound "The database was not previously attached".
TEST_F(DatabaseTest, OpeningADatabaseThatIsNotAttachedIsDatabaseNotFound) {
  const std::string path = MakeDetachedDatabase();
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseNotFound, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(JET_errDatabaseNotFound,
            JetOpenDatabaseW(sesid_, Widen(path).c_str(), nullptr, &dbid, 0));
}

// JetOpenDatabase docs: "This function can be called multiple times for the same database."
// Each open is closed separately; the database stays in use until the last close.
TEST_F(DatabaseTest, OpenCountsEachOpenUntilItIsClosed) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  JET_DBID first = kNilDbid;
  JET_DBID second = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &first, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &second, 0));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, first, 0));
  EXPECT_EQ(JET_errDatabaseInUse, JetDetachDatabaseA(sesid_, path.c_str()));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, second, 0));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
}

TEST_F(DatabaseTest, AnotherSessionOpensTheSameDatabase) {
  CreateDatabase("shared.edb");
  JET_SESID other = BeginSession(instance_);
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(other, DatabasePath("shared.edb").c_str(), nullptr,
                                             &dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetCloseDatabase(other, dbid, 0));
}

// JetOpenDatabase docs: JET_errDatabaseLocked "The database was opened exclusively by another
// session"; JET_errDatabaseInUse "Exclusive access was requested, but could not be granted".
TEST_F(DatabaseTest, ExclusiveOpenLocksOutOtherSessions) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess,
            JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, JET_bitDbExclusive));
  JET_SESID other = BeginSession(instance_);
  JET_DBID other_dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseLocked,
            JetOpenDatabaseA(other, path.c_str(), nullptr, &other_dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));

  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(other, path.c_str(), nullptr, &other_dbid, 0));
  EXPECT_EQ(JET_errDatabaseInUse,
            JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, JET_bitDbExclusive));
}

// JetCloseDatabase / JetOpenTable docs: JET_errInvalidDatabaseId for a dbid never handed out.
TEST_F(DatabaseTest, GarbageDbidIsInvalidDatabaseId) {
  CreateDatabase();
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCloseDatabase(sesid_, kGarbageDbid, 0));
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errInvalidDatabaseId,
            JetOpenTableA(sesid_, kGarbageDbid, "T", nullptr, 0, 0, &tableid));
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCreateTableA(sesid_, kGarbageDbid, "T", 0, 100, &tableid));
}

TEST_F(DatabaseTest, ClosedDbidIsInvalidDatabaseId) {
  JET_DBID dbid = CreateDatabase();
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCreateTableA(sesid_, dbid, "T", 0, 100, &tableid));
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCloseDatabase(sesid_, dbid, 0));
}

// UNVERIFIED: ESE (ErrPIBOpenDatabase) checks the dbid per session, so a dbid opened by one
// session is not valid on another.
TEST_F(DatabaseTest, DbidOfAnotherSessionIsInvalidDatabaseId) {
  JET_DBID dbid = CreateDatabase();
  JET_SESID other = BeginSession(instance_);
  JET_TABLEID tableid = kNilTableid;
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCreateTableA(other, dbid, "T", 0, 100, &tableid));
}

// --- two instances, one file ----------------------------------------------------------------

// JetAttachDatabase docs list JET_errFileAccessDenied ("The file may be in use by another
// process") and JET_errDatabaseSharingViolation. UNVERIFIED: which one a second instance of the
// same process gets; ESE opens the file exclusively and maps the OS sharing violation to
// JET_errFileAccessDenied, which is what we expect.
TEST_F(DatabaseTest, SameFileAttachedByTwoInstancesIsFileAccessDenied) {
  CreateDatabase("contended.edb");
  JET_INSTANCE second = InitStorageInstance("second");
  ASSERT_NE(JET_INSTANCE{0}, second);
  JET_SESID sesid = BeginSession(second);
  EXPECT_EQ(JET_errFileAccessDenied,
            JetAttachDatabaseA(sesid, DatabasePath("contended.edb").c_str(), 0));
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errFileAccessDenied, JetCreateDatabaseA(sesid, DatabasePath("contended.edb").c_str(),
                                                        nullptr, &dbid, JET_bitDbOverwriteExisting));
}

// --- JetGetDatabaseInfo ------------------------------------------------------------------------

TEST_F(DatabaseTest, DatabaseInfoFilenameIsTheFullPath) {
  JET_DBID dbid = CreateDatabase("named.edb");
  char name[1024] = {};
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoA(sesid_, dbid, name, sizeof(name), JET_DbInfoFilename));
  EXPECT_EQ(DatabasePath("named.edb"), std::string(name));
  JET_WCHAR wide[1024] = {};
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoW(sesid_, dbid, wide, sizeof(wide), JET_DbInfoFilename));
  EXPECT_EQ(Widen(DatabasePath("named.edb")), std::u16string(wide));
}

TEST_F(DatabaseTest, DatabaseInfoPageSizeIsTheEnginePageSize) {
  JET_DBID dbid = CreateDatabase();
  std::uint32_t page_size = 0;
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoA(sesid_, dbid, &page_size, sizeof(page_size), JET_DbInfoPageSize));
  EXPECT_EQ(GetIntegerParam(0, JET_paramDatabasePageSize), JET_API_PTR{page_size});
}

// ESE ErrIsamGetDatabaseInfo: JET_DbInfoFilesize takes exactly a 4-byte buffer (page count);
// any other size is JET_errInvalidBufferSize.
TEST_F(DatabaseTest, DatabaseInfoFilesizeIsAPageCountInFourBytes) {
  JET_DBID dbid = CreateDatabase();
  std::uint32_t pages = 0;
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoA(sesid_, dbid, &pages, sizeof(pages), JET_DbInfoFilesize));
  EXPECT_GT(pages, 0u);
  std::uint64_t wide = 0;
  EXPECT_EQ(JET_errInvalidBufferSize,
            JetGetDatabaseInfoA(sesid_, dbid, &wide, sizeof(wide), JET_DbInfoFilesize));
}

TEST_F(DatabaseTest, DatabaseInfoMiscDescribesAnAttachedDatabase) {
  JET_DBID dbid = CreateDatabase();
  JET_DBINFOMISC misc{};
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoA(sesid_, dbid, &misc, sizeof(misc), JET_DbInfoMisc));
  // Attached for writing: the header says dirty until a clean detach. UNVERIFIED: ESE marks the
  // header dirty at attach even with recovery off.
  EXPECT_EQ(JET_dbstateDirtyShutdown, misc.dbstate);
  EXPECT_EQ(GetIntegerParam(0, JET_paramDatabasePageSize), JET_API_PTR{misc.cbPageSize});
}

TEST_F(DatabaseTest, DatabaseInfoOnAGarbageDbidIsInvalidDatabaseId) {
  CreateDatabase();
  std::uint32_t page_size = 0;
  EXPECT_EQ(JET_errInvalidDatabaseId, JetGetDatabaseInfoA(sesid_, kGarbageDbid, &page_size,
                                                          sizeof(page_size), JET_DbInfoPageSize));
}

// --- JetGetDatabaseFileInfo ----------------------------------------------------------------

// JetGetDatabaseFileInfo docs: JET_DbInfoMisc fills a JET_DBINFOMISC for a database that is
// offline; a cleanly detached database is in JET_dbstateCleanShutdown.
TEST_F(DatabaseTest, FileInfoMiscOfADetachedDatabaseIsCleanShutdown) {
  const std::string path = MakeDetachedDatabase();
  const JET_DBINFOMISC misc = FileInfoMisc(path);
  EXPECT_EQ(JET_dbstateCleanShutdown, misc.dbstate);
  EXPECT_EQ(GetIntegerParam(0, JET_paramDatabasePageSize), JET_API_PTR{misc.cbPageSize});
  // ESE's database format version (esentutl /mh "Format ulVersion: 0x620").
  EXPECT_EQ(0x620u, misc.ulVersion);
  // UNVERIFIED: the detach time is recorded even with recovery off.
  EXPECT_NE(0, misc.logtimeDetach.bYear);
}

TEST_F(DatabaseTest, FileInfoWorksWithoutAnyInstance) {
  const std::string path = MakeDetachedDatabase();
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
  const JET_DBINFOMISC misc = FileInfoMisc(path);
  EXPECT_EQ(JET_dbstateCleanShutdown, misc.dbstate);
}

TEST_F(DatabaseTest, FileInfoWideEntryPointReadsTheSameHeader) {
  const std::string path = MakeDetachedDatabase();
  JET_DBINFOMISC narrow = FileInfoMisc(path);
  JET_DBINFOMISC wide{};
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoW(Widen(path).c_str(), &wide, sizeof(wide),
                                                    JET_DbInfoMisc));
  EXPECT_EQ(0, std::memcmp(&narrow.signDb, &wide.signDb, sizeof(narrow.signDb)));
  EXPECT_EQ(narrow.dbstate, wide.dbstate);
}

// ESE UtilLoadDbinfomiscFromPdbfilehdr accepts exactly the sizes of JET_DBINFOMISC through
// JET_DBINFOMISC7 and fills the structure the size names; other sizes are JET_errInvalidBufferSize.
TEST_F(DatabaseTest, FileInfoMiscFillsEachStructureVersionBySize) {
  const std::string path = MakeDetachedDatabase();
  JET_DBINFOMISC2 misc2{};
  EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &misc2, sizeof(misc2),
                                                    JET_DbInfoMisc));
  EXPECT_EQ(JET_dbstateCleanShutdown, misc2.dbstate);
  JET_DBINFOMISC3 misc3{};
  EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &misc3, sizeof(misc3),
                                                    JET_DbInfoMisc));
  EXPECT_EQ(JET_dbstateCleanShutdown, misc3.dbstate);
  JET_DBINFOMISC4 misc4{};
  EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &misc4, sizeof(misc4),
                                                    JET_DbInfoMisc));
  EXPECT_EQ(JET_dbstateCleanShutdown, misc4.dbstate);
  EXPECT_EQ(misc2.cbPageSize, misc4.cbPageSize);

  char odd[sizeof(JET_DBINFOMISC) + 3] = {};
  EXPECT_EQ(JET_errInvalidBufferSize,
            JetGetDatabaseFileInfoA(path.c_str(), odd, sizeof(odd), JET_DbInfoMisc));
  EXPECT_EQ(JET_errInvalidBufferSize,
            JetGetDatabaseFileInfoA(path.c_str(), odd, sizeof(JET_DBINFOMISC) - 1, JET_DbInfoMisc));
}

// JetGetDatabaseFileInfo docs: JET_DbInfoFilesize is a QWORD (8 bytes), the size in bytes;
// JET_DbInfoPageSize an unsigned long, the page size in bytes.
TEST_F(DatabaseTest, FileInfoFilesizeIsBytesAndPageSizeIsBytes) {
  const std::string path = MakeDetachedDatabase();
  std::uint64_t size_bytes = 0;
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &size_bytes, sizeof(size_bytes),
                                                    JET_DbInfoFilesize));
  EXPECT_EQ(std::filesystem::file_size(path), size_bytes);
  std::uint32_t page_size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &page_size, sizeof(page_size),
                                                    JET_DbInfoPageSize));
  EXPECT_EQ(GetIntegerParam(0, JET_paramDatabasePageSize), JET_API_PTR{page_size});
  EXPECT_EQ(0u, size_bytes % page_size);
}

// UNVERIFIED: ESE opens the file for JetGetDatabaseFileInfo and reports a missing file as
// JET_errFileNotFound.
TEST_F(DatabaseTest, FileInfoOfAMissingFileIsFileNotFound) {
  JET_DBINFOMISC misc{};
  EXPECT_EQ(JET_errFileNotFound,
            JetGetDatabaseFileInfoA(DatabasePath("absent.edb").c_str(), &misc, sizeof(misc),
                                    JET_DbInfoMisc));
}

// A database attached for writing has a dirty header on disk (ESE marks it dirty at attach and
// clean at detach); a copy taken while attached is therefore in JET_dbstateDirtyShutdown.
// UNVERIFIED: attaching such a copy with recovery off is JET_errDatabaseDirtyShutdown (ESE's
// attach refuses an inconsistent database when there is no log to replay).
TEST_F(DatabaseTest, CopyOfAnAttachedDatabaseIsDirtyShutdown) {
  JET_DBID dbid = CreateDatabase("live.edb");
  const KeyedColumns columns = CreateKeyedTable(dbid);
  JET_TABLEID tableid = OpenTable(dbid, "Keyed");
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid, columns, 1, 1));
  const std::string copy = DatabasePath("copy.edb");
  std::filesystem::copy_file(DatabasePath("live.edb"), copy);
  EXPECT_EQ(JET_dbstateDirtyShutdown, FileInfoMisc(copy).dbstate);

  JET_INSTANCE second = InitStorageInstance("second");
  ASSERT_NE(JET_INSTANCE{0}, second);
  JET_SESID sesid = BeginSession(second);
  EXPECT_EQ(JET_errDatabaseDirtyShutdown, JetAttachDatabaseA(sesid, copy.c_str(), 0));
  std::uint32_t pages = 0;
  // JetSetDatabaseSize docs: the database "must be in a clean shutdown".
  EXPECT_EQ(JET_errDatabaseDirtyShutdown, JetSetDatabaseSizeA(sesid, copy.c_str(), 512, &pages));
}

// --- JetSetDatabaseSize ---------------------------------------------------------------------

// JetSetDatabaseSize docs: sets the size of an unopened database; pcpgReal receives the size in
// pages; a cpg smaller than the current size is ignored; below 256 pages is
// JET_errInvalidParameter; an empty name is JET_errDatabaseInvalidPath.
TEST_F(DatabaseTest, SetDatabaseSizeGrowsADetachedDatabase) {
  const std::string path = MakeDetachedDatabase();
  std::uint32_t pages = 0;
  ASSERT_EQ(JET_errSuccess, JetSetDatabaseSizeA(sesid_, path.c_str(), 1024, &pages));
  EXPECT_GE(pages, 1024u);
  std::uint64_t size_bytes = 0;
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &size_bytes, sizeof(size_bytes),
                                                    JET_DbInfoFilesize));
  EXPECT_GE(size_bytes, std::uint64_t{1024} * GetIntegerParam(0, JET_paramDatabasePageSize));

  std::uint32_t unchanged = 0;
  ASSERT_EQ(JET_errSuccess, JetSetDatabaseSizeW(sesid_, Widen(path).c_str(), 300, &unchanged));
  EXPECT_EQ(pages, unchanged);
  // Still a valid database.
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
}

TEST_F(DatabaseTest, SetDatabaseSizeBelowTheMinimumIsInvalidParameter) {
  const std::string path = MakeDetachedDatabase();
  std::uint32_t pages = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetSetDatabaseSizeA(sesid_, path.c_str(), 10, &pages));
  EXPECT_EQ(JET_errDatabaseInvalidPath, JetSetDatabaseSizeA(sesid_, "", 1024, &pages));
}

// --- JET_paramCacheSizeMax ------------------------------------------------------------------

// A cache far smaller than the data still serves every row (pages are evicted and read back).
TEST_F(DatabaseTest, SmallCacheStillServesEveryRow) {
  JET_INSTANCE instance = CreateInstance("small.cache");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
  // JET_paramCacheSizeMax is global (instance 0 = process default) in ESE.
  const JET_API_PTR old_cache = GetIntegerParam(0, JET_paramCacheSizeMax);
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, 64, nullptr));
  const JET_ERR init = JetInit(&instance);
  static_cast<void>(JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, old_cache, nullptr));
  ASSERT_EQ(JET_errSuccess, init);
  JET_SESID sesid = BeginSession(instance);
  const std::string path = dir_.path() + "/cache.edb";
  JET_DBID dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
  JET_TABLEID tableid = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, dbid, "Big", 0, 100, &tableid));
  const JET_COLUMNDEF key_def = ColumnDef(JET_coltypLong);
  const JET_COLUMNDEF blob_def = ColumnDef(JET_coltypBinary, 0, 255);
  JET_COLUMNID key = 0;
  JET_COLUMNID blob = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, tableid, "Key", &key_def, nullptr, 0, &key));
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, tableid, "Blob", &blob_def, nullptr, 0, &blob));
  const std::string index = KeyDescription({"+Key"});
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid, tableid, "primary", JET_bitIndexPrimary,
                                            index.data(), static_cast<std::uint32_t>(index.size()),
                                            100));
  const std::string payload(200, 'p');
  for (std::int32_t i = 0; i < 3000; ++i) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, tableid, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, tableid, key, &i, sizeof(i), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, tableid, blob, payload.data(),
                                           static_cast<std::uint32_t>(payload.size()), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, tableid, nullptr, 0, nullptr));
  }
  // JetIndexRecordCount counts from the current record forward.
  ASSERT_EQ(JET_errSuccess, JetMove(sesid, tableid, kMoveFirst, 0));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid, tableid, &count, 0));
  EXPECT_EQ(3000u, count);
}

// JetGetInstanceInfo lists each instance's attached databases (file and display name).
TEST_F(DatabaseTest, InstanceInfoListsTheAttachedDatabases) {
  CreateDatabase("listed.edb");
  JET_UINT32 count = 0;
  JET_INSTANCE_INFO_A* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &infos));
  bool found = false;
  for (JET_UINT32 i = 0; i < count; ++i) {
    if (infos[i].hInstanceId != instance_) continue;
    found = true;
    ASSERT_EQ(1u, infos[i].cDatabases);
    EXPECT_EQ(DatabasePath("listed.edb"), std::string(infos[i].szDatabaseFileName[0]));
    EXPECT_EQ(DatabasePath("listed.edb"), std::string(infos[i].szDatabaseDisplayName[0]));
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<JET_PSTR>(infos)));
}


// JetTerm2 with JET_bitTermDirty leaves attached databases as a crash would: the header stays
// DirtyShutdown, and (with recovery off) the next attach refuses the database.
TEST_F(DatabaseTest, TermDirtyLeavesTheDatabaseDirty) {
  JET_INSTANCE instance = InitStorageInstance("dirty");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = kNilDbid;
  const std::string path = DatabasePath("left-dirty.edb");
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  EXPECT_EQ(JET_dbstateDirtyShutdown, FileInfoMisc(path).dbstate);
  EXPECT_EQ(JET_errDatabaseDirtyShutdown, JetAttachDatabaseA(sesid_, path.c_str(), 0));
}

}  // namespace
}  // namespace esent_test
