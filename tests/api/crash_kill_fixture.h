// Helpers of the SIGKILL tests (crash_kill_internal_test.cc) and of their regression tests
// (crash_kill_regression_internal_test.cc): real folders under /tmp, instances configured as
// tests/crash/crash_child.cc configures its own, the oracle's table read back, a backup restored
// into fresh folders. Every helper returns the first failing JET_ERR or reports with gtest.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "crash_oracle.h"

namespace esent_crash::kill_test {

// A fresh folder under /tmp, removed with its contents at the end of the scope.
class TempRoot {
 public:
  TempRoot() {
    char pattern[] = "/tmp/libesent-kill-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = std::string(pattern) + "/";
  }
  ~TempRoot() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  // <root><name>/, created.
  std::string sub(const std::string& name) const {
    std::filesystem::create_directories(path_ + name);
    return path_ + name + "/";
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The instance parameters crash_child uses (its configure()).
inline JET_ERR start_instance(const std::string& folder, JET_INSTANCE* instance, bool init = true) {
  static int counter = 0;  // one process: instance names unique in it
  const std::string name = "kill." + std::to_string(counter++);
  JET_ERR err = JetCreateInstanceA(instance, name.c_str());
  if (err < 0) return err;
  JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on");
  JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, folder.c_str());
  JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, folder.c_str());
  JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
  JetSetSystemParameterA(instance, 0, JET_paramMaxVerPages, 4096, nullptr);
  JetSetSystemParameterA(instance, 0, JET_paramCheckpointDepthMax, 256 << 10, nullptr);
  if (!init) return JET_errSuccess;
  err = JetInit(instance);
  if (err < 0) JetTerm(*instance);
  return err;
}

// oracle.edb with the oracle's table in `folder`, created and cleanly shut down.
inline void set_up_database(const std::string& folder, std::uint32_t sessions) {
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, start_instance(folder, &instance));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, (folder + "oracle.edb").c_str(), nullptr, &dbid, 0));
  ASSERT_EQ(JET_errSuccess, create_schema(sesid, dbid, sessions));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

// Attaches `database` in the running `instance` and reads the oracle's table. The first failure.
inline JET_ERR read_database(JET_INSTANCE instance, const std::string& database, Rows* rows) {
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_ERR err = JetBeginSessionA(instance, &sesid, nullptr, nullptr);
  if (err >= 0) err = JetAttachDatabaseA(sesid, database.c_str(), 0);
  if (err >= 0) err = JetOpenDatabaseA(sesid, database.c_str(), nullptr, &dbid, 0);
  if (err >= 0) err = read_rows(sesid, dbid, rows);
  if (sesid != 0) (void)JetEndSession(sesid, 0);
  return err;
}

// Restores the backup in `set` with JetRestoreInstance into <root><name>-db/ (the instance's
// log and system folder <root><name>-logs/), initialises and reads the table. The first failure.
inline JET_ERR restore_and_read(const TempRoot& root, const std::string& name, const std::string& set, Rows* rows) {
  const std::string logs = root.sub(name + "-logs");
  const std::string destination = root.sub(name + "-db");
  JET_INSTANCE instance = 0;
  JET_ERR err = start_instance(logs, &instance, false);
  if (err < 0) return err;
  err = JetRestoreInstanceA(instance, set.c_str(), destination.c_str(), nullptr);
  if (err >= 0) err = JetInit(&instance);
  if (err >= 0) err = read_database(instance, destination + "oracle.edb", rows);
  const JET_ERR term = JetTerm(instance);
  return err < 0 ? err : term;
}

// Every file under `folder` with its size, and the manifests' text: for a failure's message.
inline std::string describe_folder(const std::string& folder) {
  std::string text = "\n" + folder + " holds:";
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    const std::filesystem::path& path = it->path();
    text += "\n  " + path.lexically_relative(folder).string();
    if (!it->is_regular_file()) continue;
    text += " (" + std::to_string(it->file_size()) + " bytes)";
    if (path.filename() == "esent-backup.manifest") {
      std::FILE* file = std::fopen(path.c_str(), "r");
      char line[512];
      while (file != nullptr && std::fgets(line, sizeof(line), file) != nullptr) text += "\n    | " + std::string(line);
      if (file != nullptr) std::fclose(file);
    }
  }
  return text;
}

}  // namespace esent_crash::kill_test
