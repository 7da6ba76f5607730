// Fixture of the esentutl tests (tests/tools): a fresh folder per test, a real instance made
// through the public API (logs in <folder>/logs, checkpoint in <folder>/sys, 128 KiB logs so a
// few hundred rows span several generations, database <folder>/db.edb with table t of
// (id Long key, value LongBinary)), and Run(), which runs the real esentutl binary
// (ESENTUTL_PATH) and captures its exit code, stdout and stderr.
//
// Damage: FlipByte flips one byte of a file behind the engine's back.
#pragma once

#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace esent_test::tools {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline void FlipByte(const std::string& path, std::uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(file.good()) << path;
  file.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x5A);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(&byte, 1);
}

class ToolTest : public ::testing::Test {
 protected:
  static constexpr JET_UINT32 kLogFileKib = 128;

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ =
        (fs::temp_directory_path() / ("esentutl_" + std::to_string(getpid()) + "_" + info->name()))
            .string();
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    db_ = folder_ + "/db.edb";
    logs_ = folder_ + "/logs";
    sys_ = folder_ + "/sys";
  }
  void TearDown() override {
    if (instance_ != 0) JetTerm(instance_);
    // Kept after a failure, or with ESENTUTL_TEST_KEEP set, to look at.
    if (!HasFailure() && std::getenv("ESENTUTL_TEST_KEEP") == nullptr) fs::remove_all(folder_);
  }

  // Runs esentutl with `arguments` (already shell-quoted where needed) in folder_.
  RunResult Run(const std::string& arguments) {
    const std::string out = folder_ + "/.out", err = folder_ + "/.err";
    const std::string command = "cd '" + folder_ + "' && '" ESENTUTL_PATH "' " + arguments + " >'" +
                                out + "' 2>'" + err + "'";
    const int status = std::system(command.c_str());
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = ReadFile(out);
    result.err = ReadFile(err);
    return result;
  }

  // Starts the instance on logs_/sys_ (created when missing) with a session.
  void StartInstance() {
    ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&instance_, "tools"));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramLogFilePath, 0,
                                                     (logs_ + "/").c_str()));
    ASSERT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance_, 0, JET_paramSystemPath, 0, (sys_ + "/").c_str()));
    ASSERT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance_, 0, JET_paramLogFileSize, kLogFileKib, nullptr));
    ASSERT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance_, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
    ASSERT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance_, 0, JET_paramCheckpointDepthMax, 16384, nullptr));
    ASSERT_EQ(JET_errSuccess, JetInit(&instance_));
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance_, &session_, "", ""));
  }

  // Creates db_ with table t and `rows` rows (ids 0..rows-1, 600-byte values).
  void CreateDatabase(int rows) {
    StartInstance();
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(session_, db_.c_str(), nullptr, &dbid_, 0));
    JET_TABLEID table = 0;
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(session_, dbid_, "t", 0, 100, &table));
    JET_COLUMNDEF def{};
    def.cbStruct = sizeof def;
    def.coltyp = JET_coltypLong;
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(session_, table, "id", &def, nullptr, 0, &id_));
    def.coltyp = JET_coltypLongBinary;
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(session_, table, "value", &def, nullptr, 0, &value_));
    ASSERT_EQ(JET_errSuccess,
              JetCreateIndexA(session_, table, "pk", JET_bitIndexPrimary, "+id\0\0", 5, 100));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(session_, table));
    AddRows(0, rows);
  }

  // Opens db_ (attached already or not) and inserts ids [first, first + count), one commit each 20.
  void AddRows(int first, int count) {
    if (dbid_ == 0) {
      const JET_ERR attached = JetAttachDatabaseA(session_, db_.c_str(), 0);
      ASSERT_GE(attached, 0);
      ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(session_, db_.c_str(), nullptr, &dbid_, 0));
    }
    JET_TABLEID table = 0;
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(session_, dbid_, "t", nullptr, 0, 0, &table));
    if (id_ == 0) {
      JET_COLUMNDEF def{};
      ASSERT_EQ(JET_errSuccess,
                JetGetTableColumnInfoA(session_, table, "id", &def, sizeof def, JET_ColInfo));
      id_ = def.columnid;
      ASSERT_EQ(JET_errSuccess,
                JetGetTableColumnInfoA(session_, table, "value", &def, sizeof def, JET_ColInfo));
      value_ = def.columnid;
    }
    const std::string value(600, 'v');
    for (int i = 0; i < count; ++i) {
      if (i % 20 == 0) {
        ASSERT_EQ(JET_errSuccess, JetBeginTransaction(session_));
      }
      const JET_INT32 id = first + i;
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(session_, table, JET_prepInsert));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(session_, table, id_, &id, sizeof id, 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(session_, table, value_, value.data(),
                                             static_cast<JET_UINT32>(value.size()), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetUpdate(session_, table, nullptr, 0, nullptr));
      if (i % 20 == 19 || i + 1 == count) {
        ASSERT_EQ(JET_errSuccess, JetCommitTransaction(session_, 0));
      }
    }
    ASSERT_EQ(JET_errSuccess, JetCloseTable(session_, table));
  }

  // Makes the running instance write a checkpoint that lists db_ (the checkpoint thread writes
  // one once the log has grown past JET_paramCheckpointDepthMax, 16 KiB here), waiting up to
  // 10 s for it.
  void CheckpointListingTheDatabase(int next_id) {
    AddRows(next_id, 20);
    const std::string checkpoint = sys_ + "/edb.chk";
    for (int attempt = 0; attempt < 200; ++attempt) {
      ESENT_CHECKPOINTINFO info{};
      if (EsentGetCheckpointFileInfoA(checkpoint.c_str(), &info, sizeof info) == JET_errSuccess &&
          info.cDatabases == 1) {
        return;
      }
      usleep(50 * 1000);
    }
    FAIL() << "no checkpoint listing " << db_;
  }

  // Ends the instance cleanly (or, with `dirty`, as a crash would leave the files).
  void StopInstance(bool dirty = false) {
    if (dirty) {
      EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermDirty));
    } else {
      EXPECT_EQ(JET_errSuccess, JetTerm(instance_));
    }
    instance_ = 0;
    session_ = 0;
    dbid_ = 0;
  }

  // The rows of table t of `database`, read through a fresh instance on `logs`/`sys`.
  int CountRows(const std::string& database, const std::string& logs, const std::string& sys) {
    JET_INSTANCE instance = 0;
    EXPECT_EQ(JET_errSuccess, JetCreateInstanceA(&instance, "count"));
    JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, (logs + "/").c_str());
    JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, (sys + "/").c_str());
    JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, kLogFileKib, nullptr);
    JetSetSystemParameterA(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr);
    int rows = -1;
    if (JetInit(&instance) == JET_errSuccess) {
      JET_SESID session = 0;
      JET_DBID dbid = 0;
      JET_TABLEID table = 0;
      EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &session, "", ""));
      EXPECT_GE(JetAttachDatabaseA(session, database.c_str(), 0), 0);
      EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(session, database.c_str(), nullptr, &dbid, 0));
      if (JetOpenTableA(session, dbid, "t", nullptr, 0, 0, &table) == JET_errSuccess) {
        rows = 0;
        constexpr JET_INT32 kMoveFirst = std::numeric_limits<JET_INT32>::min();  // JET_MoveFirst
        for (JET_ERR err = JetMove(session, table, kMoveFirst, 0); err == JET_errSuccess;
             err = JetMove(session, table, JET_MoveNext, 0)) {
          ++rows;
        }
        JetCloseTable(session, table);
      }
    }
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    return rows;
  }

  // The first page of `path` (page size `page_bytes`) after the header copies whose bytes are
  // not all zero.
  std::uint32_t FirstUsedPage(const std::string& path, std::uint32_t page_bytes) {
    const std::string bytes = ReadFile(path);
    for (std::uint32_t page = 2; std::uint64_t{page + 1} * page_bytes <= bytes.size(); ++page) {
      if (bytes.find_first_not_of('\0', std::size_t{page} * page_bytes) <
          std::size_t{page + 1} * page_bytes)
        return page;
    }
    ADD_FAILURE() << "no used page in " << path;
    return 0;
  }

  std::string folder_;
  std::string db_;
  std::string logs_;
  std::string sys_;
  JET_INSTANCE instance_ = 0;
  JET_SESID session_ = 0;
  JET_DBID dbid_ = 0;
  JET_COLUMNID id_ = 0;
  JET_COLUMNID value_ = 0;
};

// Whether `text` contains `needle` (for readable EXPECT messages).
inline ::testing::AssertionResult Contains(const std::string& text, const std::string& needle) {
  if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << needle << "' not found in:\n" << text;
}

}  // namespace esent_test::tools
