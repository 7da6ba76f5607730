// The write-ahead log seen through the API, on the real file system (JET_paramRecovery "on"):
// - the files are named as ESENT names them (JET_paramBaseName, JET_paramLegacyFileNames,
//   JET_paramSystemPath for the checkpoint), ../../shared/reference/backup-semantics.md §7;
// - JetCommitTransaction(JET_bitForceNewLog) rolls the log, also with no transaction open;
// - a lazy commit is not durable (a dirty stop loses it), a durable one is;
// - circular logging keeps the log directory bounded, and without it every generation stays;
// - a damaged log set is refused at JetInit with ESE's error for each situation, produced for
//   real by moving, copying, renaming or corrupting files after a dirty stop; putting the file
//   back makes the same JetInit succeed, so the error is due to that situation alone.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../test_dirs.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;

struct LogOptions {
  JET_API_PTR log_file_kb = 64;
  std::string base_name;           // empty: the default
  JET_API_PTR legacy_bits = ~JET_API_PTR{0};  // all ones: the default
  bool circular = false;
  JET_API_PTR checkpoint_depth_bytes = 0;     // 0: the default
  std::string system_folder;       // empty: the log folder
};

std::set<std::string> Names(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

// Archived logs of `base` with extension `extension` in `folder` (edb00001.log ...), sorted.
std::vector<std::string> ArchivedLogs(const std::string& folder, const std::string& base = "edb",
                                      const std::string& extension = ".log") {
  std::vector<std::string> archived;
  for (const std::string& name : Names(folder)) {
    if (name.size() <= base.size() + extension.size() || name.rfind(base, 0) != 0 ||
        name.compare(name.size() - extension.size(), extension.size(), extension) != 0) {
      continue;
    }
    const std::string digits = name.substr(base.size(), name.size() - base.size() - extension.size());
    if (digits.find_first_not_of("0123456789ABCDEFabcdef") == std::string::npos) archived.push_back(name);
  }
  std::sort(archived.begin(), archived.end());
  return archived;
}

class LogApiTest : public ApiTest {
 protected:
  std::string Folder(const std::string& suffix) const { return dir_.path() + "/" + suffix + "/"; }

  // Creates an instance with recovery on whose log (and, by default, system) path is the
  // fixture folder `suffix`; returns 0 when JetInit fails with `expected`.
  JET_INSTANCE Start(const std::string& suffix, const LogOptions& options = {},
                     JET_ERR expected = JET_errSuccess) {
    JET_INSTANCE instance = CreateInstance(suffix);
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on"));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize,
                                                     options.log_file_kb, nullptr));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramMaxVerPages, 4096, nullptr));
    if (!options.base_name.empty()) {
      EXPECT_EQ(JET_errSuccess,
                JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, options.base_name.c_str()));
    }
    if (options.legacy_bits != ~JET_API_PTR{0}) {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLegacyFileNames,
                                                       options.legacy_bits, nullptr));
    }
    if (options.circular) {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramCircularLog, 1, nullptr));
    }
    if (options.checkpoint_depth_bytes != 0) {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramCheckpointDepthMax,
                                                       options.checkpoint_depth_bytes, nullptr));
    }
    if (!options.system_folder.empty()) {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0,
                                                       options.system_folder.c_str()));
    }
    const JET_ERR err = JetInit(&instance);
    EXPECT_EQ(expected, err) << suffix;
    return err >= JET_errSuccess ? instance : 0;
  }

  static void Roll(JET_SESID sesid, int times = 1) {
    for (int i = 0; i < times; ++i) {
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitForceNewLog));
    }
  }

  // Database db.edb in `suffix` with table t (id Long primary, value LongBinary).
  void CreateSchema(const std::string& suffix, JET_SESID sesid, JET_DBID* dbid, JET_TABLEID* table) {
    const std::string path = Folder(suffix) + "db.edb";
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, *dbid, "t", 0, 100, table));
    JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
    JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, *table, "id", &id_def, nullptr, 0, &id_));
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, *table, "value", &value_def, nullptr, 0, &value_));
    const char key[] = "+id\0";
    ASSERT_EQ(JET_errSuccess,
              JetCreateIndexA(sesid, *table, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
  }

  // Inserts (id, value) in its own transaction, committed with `commit_bits`.
  void Insert(JET_SESID sesid, JET_TABLEID table, std::int32_t id, const std::string& value,
              JET_GRBIT commit_bits = 0) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, table, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, id_, &id, sizeof(id), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, value_, value.data(),
                                           static_cast<std::uint32_t>(value.size()), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, table, nullptr, 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, commit_bits));
  }

  // Attaches db.edb of `suffix` and returns every row of t.
  std::map<std::int32_t, std::string> AttachAndReadAll(const std::string& suffix, JET_SESID sesid) {
    std::map<std::int32_t, std::string> rows;
    const std::string path = Folder(suffix) + "db.edb";
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, path.c_str(), 0));
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
    JET_TABLEID table = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
    JET_COLUMNDEF def{};
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "id", &def, sizeof(def), JET_ColInfo));
    const JET_COLUMNID id_column = def.columnid;
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "value", &def, sizeof(def), JET_ColInfo));
    const JET_COLUMNID value_column = def.columnid;
    JET_ERR moved = JetMove(sesid, table, INT32_MIN, 0);
    while (moved == JET_errSuccess) {
      std::int32_t id = 0;
      std::uint32_t actual = 0;
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, id_column, &id, sizeof(id), &actual, 0, nullptr));
      std::string value(1 << 16, '\0');
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, value_column, value.data(),
                                                  static_cast<std::uint32_t>(value.size()), &actual, 0, nullptr));
      value.resize(actual);
      rows[id] = value;
      moved = JetMove(sesid, table, JET_MoveNext, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, moved);
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    return rows;
  }

  // A log set in folder `suffix` with no database: generations 1..`generations` (the last is
  // edb.log), left by a dirty stop.
  void MakeLogSet(const std::string& suffix, int generations) {
    JET_INSTANCE instance = Start(suffix);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    JET_SESID sesid = BeginSession(instance);
    ASSERT_NO_FATAL_FAILURE(Roll(sesid, generations - 1));
    EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
    ASSERT_EQ(static_cast<std::size_t>(generations - 1), ArchivedLogs(Folder(suffix)).size());
  }

  // JetInit on `suffix` succeeds and terminates cleanly.
  void ExpectRecovers(const std::string& suffix, const LogOptions& options = {}) {
    JET_INSTANCE instance = Start(suffix, options);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  }

  JET_COLUMNID id_ = 0;
  JET_COLUMNID value_ = 0;
};

// --- File names ---------------------------------------------------------------------------------

TEST_F(LogApiTest, DefaultNamesAreEsentsAndTheCheckpointGoesToTheSystemPath) {
  const std::string system = dir_.Sub("system");
  LogOptions options;
  options.system_folder = system;
  JET_INSTANCE instance = Start("logs", options);
  ASSERT_NE(JET_INSTANCE{0}, instance);
  const std::string logs = Folder("logs");
  std::set<std::string> names = Names(logs);
  for (const char* name : {"edb.log", "edbtmp.log", "edbres00001.jrs", "edbres00002.jrs"}) {
    EXPECT_EQ(1u, names.count(name)) << name;
  }
  EXPECT_EQ(0u, names.count("edb.chk")) << "the checkpoint belongs in JET_paramSystemPath";
  EXPECT_TRUE(fs::exists(system + "edb.chk"));
  EXPECT_EQ(64u * 1024u, fs::file_size(logs + "edb.log"));
  EXPECT_EQ(64u * 1024u, fs::file_size(logs + "edbres00001.jrs"));

  // Eleven rolls: generations 1..11 archived, with 5 uppercase hex digits (edb0000A.log).
  JET_SESID sesid = BeginSession(instance);
  ASSERT_NO_FATAL_FAILURE(Roll(sesid, 11));
  std::vector<std::string> expected;
  for (const char* name : {"edb00001.log", "edb00002.log", "edb00003.log", "edb00004.log",
                           "edb00005.log", "edb00006.log", "edb00007.log", "edb00008.log",
                           "edb00009.log", "edb0000A.log", "edb0000B.log"}) {
    expected.emplace_back(name);
  }
  EXPECT_EQ(expected, ArchivedLogs(logs));
  names = Names(logs);
  EXPECT_EQ(1u, names.count("edb.log"));
  EXPECT_EQ(1u, names.count("edbtmp.log"));
  EXPECT_EQ(0u, names.count("edb0000a.log"));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(LogApiTest, BaseNameIsThePrefixOfEveryFile) {
  LogOptions options;
  options.base_name = "abc";
  JET_INSTANCE instance = Start("base", options);
  ASSERT_NE(JET_INSTANCE{0}, instance);
  ASSERT_NO_FATAL_FAILURE(Roll(BeginSession(instance), 2));
  const std::set<std::string> names = Names(Folder("base"));
  for (const char* name : {"abc.log", "abc00001.log", "abc00002.log", "abctmp.log",
                           "abcres00001.jrs", "abcres00002.jrs", "abc.chk"}) {
    EXPECT_EQ(1u, names.count(name)) << name;
  }
  for (const std::string& name : names) EXPECT_NE(0u, name.rfind("edb", 0)) << name;
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  // The same base name finds its own log set again.
  ExpectRecovers("base", options);
}

TEST_F(LogApiTest, LegacyFileNamesSelectExtensionsAndDigits) {
  struct Case {
    JET_API_PTR bits;
    std::set<std::string> files;  // after one roll and a clean term
  };
  const std::vector<Case> cases = {
      {JET_bitESE98FileNames | JET_bitEightDotThreeSoftCompat,
       {"edb.log", "edb00001.log", "edbtmp.log", "edbres00001.jrs", "edbres00002.jrs", "edb.chk"}},
      {JET_bitESE98FileNames,
       {"edb.log", "edb00000001.log", "edbtmp.log", "edbres00001.jrs", "edbres00002.jrs", "edb.chk"}},
      {JET_bitEightDotThreeSoftCompat,
       {"edb.jtx", "edb00001.jtx", "edbtmp.jtx", "edbres00001.jrs", "edbres00002.jrs", "edb.jcp"}},
      {0, {"edb.jtx", "edb00000001.jtx", "edbtmp.jtx", "edbres00001.jrs", "edbres00002.jrs", "edb.jcp"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("JET_paramLegacyFileNames " + std::to_string(c.bits));
    const std::string suffix = "legacy" + std::to_string(c.bits);
    LogOptions options;
    options.legacy_bits = c.bits;
    JET_INSTANCE instance = Start(suffix, options);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    ASSERT_NO_FATAL_FAILURE(Roll(BeginSession(instance)));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    std::set<std::string> names = Names(Folder(suffix));
    names.erase("temp.edb");
    EXPECT_EQ(c.files, names);
    // The same setting finds the set again.
    ExpectRecovers(suffix, options);
  }
}

// --- Rolls and commit durability -------------------------------------------------------------------

TEST_F(LogApiTest, ForceNewLogOutsideATransactionRollsTheLog) {
  JET_INSTANCE instance = Start("roll");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateSchema("roll", sesid, &dbid, &table));
  const std::size_t before = ArchivedLogs(Folder("roll")).size();
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitForceNewLog));
  EXPECT_EQ(before + 1, ArchivedLogs(Folder("roll")).size());
  // What was committed before the roll is in the archived generation: durable.
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 1, "rolled", JET_bitCommitLazyFlush));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitForceNewLog));
  EXPECT_EQ(before + 2, ArchivedLogs(Folder("roll")).size());
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  instance = Start("roll");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  sesid = BeginSession(instance);
  const auto rows = AttachAndReadAll("roll", sesid);
  EXPECT_EQ(1u, rows.count(1));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(LogApiTest, ALazyCommitIsLostByADirtyStopADurableOneIsNot) {
  JET_INSTANCE instance = Start("lazy");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateSchema("lazy", sesid, &dbid, &table));
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 1, "durable", 0));
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 2, "lazy, then flushed", JET_bitCommitLazyFlush));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitWaitLastLevel0Commit));
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 3, "lazy", JET_bitCommitLazyFlush));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  instance = Start("lazy");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  sesid = BeginSession(instance);
  const auto rows = AttachAndReadAll("lazy", sesid);
  EXPECT_EQ(1u, rows.count(1)) << "a durable commit survives";
  EXPECT_EQ(1u, rows.count(2)) << "JET_bitWaitLastLevel0Commit made the lazy commit durable";
  EXPECT_EQ(0u, rows.count(3)) << "a lazy commit nothing flushed is lost";
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

// --- Circular logging ------------------------------------------------------------------------------

class CircularLogTest : public LogApiTest {
 protected:
  // Writes about `log_bytes` of log in durable commits (paced, so the checkpoint thread, which
  // looks every 200 ms, keeps up as it would under a real load). Returns the most log files
  // (archived + edb.log) seen at once, and the last generation.
  void Workload(const std::string& suffix, bool circular, std::size_t* most_files,
                std::size_t* generations) {
    LogOptions options;
    options.circular = circular;
    options.checkpoint_depth_bytes = 256 * 1024;
    JET_INSTANCE instance = Start(suffix, options);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    JET_SESID sesid = BeginSession(instance);
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    ASSERT_NO_FATAL_FAILURE(CreateSchema(suffix, sesid, &dbid, &table));
    *most_files = 0;
    std::int32_t id = 0;
    for (int round = 0; round < 32; ++round) {
      // About 64 KiB of values per round: one generation.
      for (int i = 0; i < 16; ++i, ++id) {
        ASSERT_NO_FATAL_FAILURE(
            Insert(sesid, table, id, std::string(4000, static_cast<char>('a' + id % 26)), 0));
      }
      *most_files = std::max(*most_files, ArchivedLogs(Folder(suffix)).size() + 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
    *generations = 0;
    for (const std::string& name : ArchivedLogs(Folder(suffix))) {
      *generations = std::max<std::size_t>(*generations, std::stoul(name.substr(3, 5), nullptr, 16) + 1);
    }
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  }
};

TEST_F(CircularLogTest, CircularLoggingKeepsTheLogDirectoryBounded) {
  std::size_t most = 0;
  std::size_t generations = 0;
  ASSERT_NO_FATAL_FAILURE(Workload("circular", true, &most, &generations));
  EXPECT_GE(generations, 30u) << "the workload rolls the log many times";
  // A 256 KiB checkpoint depth is 4 generations of 64 KiB; the checkpoint thread lags by at
  // most a few more.
  EXPECT_LE(most, 16u) << "log files seen at once, of " << generations << " generations";
  std::cout << "circular: at most " << most << " log files for " << generations << " generations\n";
}

TEST_F(CircularLogTest, WithoutCircularLoggingEveryGenerationIsKept) {
  std::size_t most = 0;
  std::size_t generations = 0;
  ASSERT_NO_FATAL_FAILURE(Workload("kept", false, &most, &generations));
  EXPECT_GE(generations, 30u);
  const std::vector<std::string> archived = ArchivedLogs(Folder("kept"));
  ASSERT_EQ(generations - 1, archived.size());
  for (std::size_t i = 0; i < archived.size(); ++i) {
    char expected[32];
    std::snprintf(expected, sizeof(expected), "edb%05zX.log", i + 1);
    EXPECT_EQ(expected, archived[i]);
  }
}

// --- A damaged log set at JetInit ------------------------------------------------------------------

TEST_F(LogApiTest, AMissingMiddleGenerationIsMissingLogFile) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("missing", 5));
  const std::string folder = Folder("missing");
  fs::rename(folder + "edb00003.log", dir_.path() + "/edb00003.log");
  Start("missing", {}, JET_errMissingLogFile);
  fs::rename(dir_.path() + "/edb00003.log", folder + "edb00003.log");
  ExpectRecovers("missing");
}

TEST_F(LogApiTest, ALogOfAnotherLogSetIsBadLogSignature) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("mine", 4));
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("theirs", 4));
  const std::string mine = Folder("mine");
  fs::rename(mine + "edb00002.log", dir_.path() + "/mine00002.log");
  fs::copy_file(Folder("theirs") + "edb00002.log", mine + "edb00002.log");
  Start("mine", {}, JET_errBadLogSignature);
  fs::remove(mine + "edb00002.log");
  fs::rename(dir_.path() + "/mine00002.log", mine + "edb00002.log");
  ExpectRecovers("mine");
}

TEST_F(LogApiTest, ARenamedLogIsLogGenerationMismatch) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("renamed", 4));
  const std::string folder = Folder("renamed");
  // Generation 2 under the name of generation 5.
  fs::rename(folder + "edb00002.log", folder + "edb00005.log");
  Start("renamed", {}, JET_errLogGenerationMismatch);
  fs::rename(folder + "edb00005.log", folder + "edb00002.log");
  ExpectRecovers("renamed");
}

TEST_F(LogApiTest, FiveDigitNamesInEightDigitModeAreLogGenerationMismatch) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("digits", 3));
  LogOptions eight_digits;
  eight_digits.legacy_bits = JET_bitESE98FileNames;
  Start("digits", eight_digits, JET_errLogGenerationMismatch);
  ExpectRecovers("digits");
}

TEST_F(LogApiTest, ACurrentLogOlderThanAnArchivedOneIsInvalidLogSequence) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("order", 5));
  const std::string folder = Folder("order");
  // edb.log (generation 5) set aside and generation 3 made the current log, with 4 still there.
  fs::rename(folder + "edb.log", dir_.path() + "/order-current.log");
  fs::rename(folder + "edb00003.log", folder + "edb.log");
  Start("order", {}, JET_errInvalidLogSequence);
  fs::rename(folder + "edb.log", folder + "edb00003.log");
  fs::rename(dir_.path() + "/order-current.log", folder + "edb.log");
  ExpectRecovers("order");
}

TEST_F(LogApiTest, LogsOfADivergedCopyAreInvalidLogSequence) {
  // One log set copied at generation 2; both copies then go on to generation 4 on their own.
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("original", 2));
  const std::string original = Folder("original");
  const std::string copy = dir_.Sub("copy");
  for (const auto& entry : fs::directory_iterator(original)) {
    fs::copy_file(entry.path(), copy + entry.path().filename().string());
  }
  for (const char* suffix : {"original", "copy"}) {
    JET_INSTANCE instance = Start(suffix);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    ASSERT_NO_FATAL_FAILURE(Roll(BeginSession(instance), 2));
    EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // distinct creation times
  }
  // Generation 2 is shared; the original's generation 3 replaced by the copy's: same
  // signature, but the original's edb.log (generation 4) follows another generation 3.
  fs::rename(original + "edb00003.log", dir_.path() + "/original00003.log");
  fs::copy_file(copy + "edb00003.log", original + "edb00003.log");
  Start("original", {}, JET_errInvalidLogSequence);
  fs::remove(original + "edb00003.log");
  fs::rename(dir_.path() + "/original00003.log", original + "edb00003.log");
  ExpectRecovers("original");
}

TEST_F(LogApiTest, ALogFileSizeOtherThanTheFilesIsLogFileSizeMismatch) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("size", 3));
  LogOptions bigger;
  bigger.log_file_kb = 128;
  Start("size", bigger, JET_errLogFileSizeMismatch);
  ExpectRecovers("size");
}

TEST_F(LogApiTest, BothCopiesOfTheCheckpointCorruptIsCheckpointCorrupt) {
  ASSERT_NO_FATAL_FAILURE(MakeLogSet("checkpoint", 3));
  // A clean start and stop rewrite the checkpoint: both of its 64 KiB copies are written.
  ASSERT_NO_FATAL_FAILURE(ExpectRecovers("checkpoint"));
  const std::string path = Folder("checkpoint") + "edb.chk";
  const std::string original = ReadFile(path);
  constexpr std::size_t kSecondCopy = 64 * 1024;
  ASSERT_GT(original.size(), kSecondCopy + 100) << "two copies";
  std::string damaged = original;
  damaged[100] = static_cast<char>(damaged[100] ^ 0x5A);
  damaged[kSecondCopy + 100] = static_cast<char>(damaged[kSecondCopy + 100] ^ 0x5A);
  ASSERT_NO_FATAL_FAILURE(WriteFile(path, damaged));
  Start("checkpoint", {}, JET_errCheckpointCorrupt);
  // One bad copy is what a torn checkpoint write leaves: the other one serves.
  for (std::size_t at : {std::size_t{100}, kSecondCopy + 100}) {
    damaged = original;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    ASSERT_NO_FATAL_FAILURE(WriteFile(path, damaged));
    ASSERT_NO_FATAL_FAILURE(ExpectRecovers("checkpoint")) << "copy at " << at << " damaged";
  }
}

TEST_F(LogApiTest, ACorruptSectorOfAnOlderGenerationIsReportedAndNeverReplayed) {
  const std::string folder = Folder("sector");
  JET_INSTANCE instance = Start("sector");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateSchema("sector", sesid, &dbid, &table));
  std::string marked;
  for (int i = 0; i < 100; ++i) marked += "MARKER-ORIGINAL";
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 7, marked, 0));
  ASSERT_NO_FATAL_FAILURE(Roll(sesid, 2));
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 8, "after", 0));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  // The first archived generation holding the marker; it is older than edb.log.
  std::string victim;
  std::string original;
  std::size_t at = std::string::npos;
  for (const std::string& name : ArchivedLogs(folder)) {
    original = ReadFile(folder + name);
    at = original.find("MARKER-ORIGINAL", 8 * 512);
    if (at != std::string::npos) {
      victim = folder + name;
      break;
    }
  }
  ASSERT_FALSE(victim.empty()) << "the row's bytes are in an archived log";
  std::string damaged = original;
  damaged.replace(at, 15, "MARKER-CORRUPTD");
  ASSERT_NO_FATAL_FAILURE(WriteFile(victim, damaged));

  Start("sector", {}, JET_errLogReadVerifyFailure);
  // Nothing of the damaged sector reached any other file.
  for (const std::string& name : Names(folder)) {
    if (folder + name == victim) continue;
    EXPECT_EQ(std::string::npos, ReadFile(folder + name).find("MARKER-CORRUPTD")) << name;
  }
  ASSERT_NO_FATAL_FAILURE(WriteFile(victim, original));
  instance = Start("sector");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  sesid = BeginSession(instance);
  const auto rows = AttachAndReadAll("sector", sesid);
  ASSERT_EQ(1u, rows.count(7));
  EXPECT_EQ(marked, rows.at(7));
  EXPECT_EQ(1u, rows.count(8));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(LogApiTest, AttachingADirtyDatabaseWithRecoveryOffIsDatabaseDirtyShutdown) {
  JET_INSTANCE instance = Start("dirty");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateSchema("dirty", sesid, &dbid, &table));
  ASSERT_NO_FATAL_FAILURE(Insert(sesid, table, 1, "one", 0));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  instance = CreateInstance("dirty");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  sesid = BeginSession(instance);
  const std::string path = Folder("dirty") + "db.edb";
  EXPECT_EQ(JET_errDatabaseDirtyShutdown, JetAttachDatabaseA(sesid, path.c_str(), 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));

  // Recovery on brings it back consistent.
  instance = Start("dirty");
  ASSERT_NE(JET_INSTANCE{0}, instance);
  const auto rows = AttachAndReadAll("dirty", BeginSession(instance));
  EXPECT_EQ(1u, rows.count(1));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

}  // namespace
}  // namespace esent_test
