// Fixture and helpers shared by the JetBackupInstance acceptance suites
// (tests/api/backup_instance/*_test.cc), which assert the contract of issue 8
// (/tmp/backup_instance_contract.md): JetBackupInstance(A/W) and JetBackup(A/W) into a directory,
// full / incremental / atomic, the status callback, the rate limit, the manifest
// `esent-backup.manifest` and EsentVerifyBackup(A/W).
//
// BackupInstanceTest builds on RestoreTest (tests/api/restore/restore_fixture.h): the source
// instance "b" with db.edb and table t, every committed change mirrored in the oracle
// `committed_`. A test snapshots the oracle where a backup ends and restores the backup with
// JetRestoreInstanceA into another folder (RestoreCopy: a fresh restore instance and
// destination each time, the source keeps running) and compares row by row.
//
// Manifest checks: ExpectManifestMatches reads `<folder>/esent-backup.manifest`, asserts the
// first line `esent-backup-manifest 1` and that the other lines list exactly the folder's other
// regular files, each with its size and XXH3-64 (computed here with xxhash, header only).
//
// Damage: FlipByteAt flips one byte of a file behind the engine's back.
#pragma once

#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "restore/restore_fixture.h"

namespace esent_test {

namespace backup_instance_test {

namespace fs = std::filesystem;

inline constexpr const char* kManifestName = "esent-backup.manifest";
inline constexpr const char* kManifestHeader = "esent-backup-manifest 1";

// One line of a manifest after its header.
struct ManifestEntry {
  std::uint64_t size_bytes = 0;
  std::string xxh3_hex;
  std::string name;
};

// "%016" PRIx64 of XXH3-64 of `bytes`.
inline std::string Xxh3Hex(const std::string& bytes) {
  const XXH64_hash_t hash = XXH3_64bits(bytes.data(), bytes.size());
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, static_cast<std::uint64_t>(hash));
  return text;
}

// Reads `<folder>/esent-backup.manifest`: false when it cannot be read. `header` gets the first
// line, `entries` the others (a malformed line is reported with ADD_FAILURE).
inline bool ReadManifest(const std::string& folder, std::string* header, std::vector<ManifestEntry>* entries) {
  std::ifstream in(folder + "/" + kManifestName, std::ios::binary);
  if (!in) return false;
  std::string line;
  if (!std::getline(in, line)) return false;
  *header = line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    ManifestEntry entry;
    fields >> entry.size_bytes >> entry.xxh3_hex;
    std::getline(fields >> std::ws, entry.name);
    if (fields.fail() && entry.name.empty()) {
      ADD_FAILURE() << "malformed manifest line '" << line << "'";
      continue;
    }
    entries->push_back(entry);
  }
  return true;
}

// The regular files of `folder` other than the manifest (names).
inline std::vector<std::string> PayloadFiles(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name != kManifestName) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The manifest of `folder` exists, starts with its header, and lists exactly the folder's other
// regular files, each with its true size and XXH3-64 in 16 lowercase hex digits.
inline void ExpectManifestMatches(const std::string& folder) {
  std::string header;
  std::vector<ManifestEntry> entries;
  ASSERT_TRUE(ReadManifest(folder, &header, &entries)) << "no readable manifest in " << folder;
  EXPECT_EQ(kManifestHeader, header);
  std::vector<std::string> listed;
  for (const ManifestEntry& entry : entries) {
    listed.push_back(entry.name);
    const std::string path = folder + "/" + entry.name;
    ASSERT_TRUE(fs::exists(path)) << "the manifest lists " << entry.name << ", which is not in " << folder;
    const std::string bytes = backup_test::ReadWholeFile(path);
    EXPECT_EQ(bytes.size(), entry.size_bytes) << entry.name;
    EXPECT_EQ(16u, entry.xxh3_hex.size()) << entry.name;
    EXPECT_EQ(std::string::npos, entry.xxh3_hex.find_first_not_of("0123456789abcdef")) << entry.name;
    EXPECT_EQ(Xxh3Hex(bytes), entry.xxh3_hex) << entry.name;
  }
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(PayloadFiles(folder), listed) << "the manifest must list every file of " << folder;
}

// Flips one byte of `path` at `offset` (fatal failure when the file is shorter).
inline void FlipByteAt(const std::string& path, std::size_t offset) {
  std::string bytes = backup_test::ReadWholeFile(path);
  ASSERT_LT(offset, bytes.size()) << path;
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x5A);
  std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);
  out.seekp(static_cast<std::streamoff>(offset));
  out.put(bytes[offset]);
  ASSERT_TRUE(out.good()) << path;
}

// Every entry of `folder` (files and directories, recursive), as relative paths; missing: empty.
inline std::vector<std::string> TreeEntries(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code error;
  if (!fs::exists(folder, error)) return names;
  for (const auto& entry : fs::recursive_directory_iterator(folder, error)) {
    names.push_back(fs::relative(entry.path(), folder).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every regular file of `folder`, recursive: relative path -> bytes.
inline std::map<std::string, std::string> TreeBytes(const std::string& folder) {
  std::map<std::string, std::string> files;
  std::error_code error;
  if (!fs::exists(folder, error)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, error)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), folder).string()] = backup_test::ReadWholeFile(entry.path().string());
    }
  }
  return files;
}

// The files of the one backup of an atomic directory `dir`, by their names inside new/ or old/
// (the contract lets a failed atomic backup leave the previous one under either name). Adds a
// failure unless `dir` holds exactly one of new/ and old/ and nothing else (no temp/).
inline std::map<std::string, std::string> AtomicBackupBytes(const std::string& dir) {
  std::vector<std::string> top;
  for (const auto& entry : fs::directory_iterator(dir)) top.push_back(entry.path().filename().string());
  std::sort(top.begin(), top.end());
  if (top != std::vector<std::string>{"new"} && top != std::vector<std::string>{"old"}) {
    std::string listed;
    for (const std::string& name : top) listed += " " + name;
    ADD_FAILURE() << dir << " should hold exactly one backup (new/ or old/), holds:" << listed;
    return {};
  }
  return TreeBytes(dir + "/" + top.front());
}

// EsentVerifyBackupA / W of `folder`.
inline JET_ERR VerifyBackup(const std::string& folder, JET_PFNSTATUS status = nullptr) {
  return EsentVerifyBackupA(folder.c_str(), status);
}

inline JET_ERR VerifyBackupW(const std::string& folder, JET_PFNSTATUS status = nullptr) {
  const std::u16string wide = Widen(folder);
  return EsentVerifyBackupW(reinterpret_cast<const JET_WCHAR*>(wide.c_str()), status);
}

// Asserts the JET_snpBackup sequence of a successful JetBackupInstance: Begin first (sesid 0 or
// JET_sesidNil), then only JET_sntProgress (JET_SNPROG of 12 bytes, cunitTotal > 0 and constant,
// cunitDone non-decreasing, never above cunitTotal, reaching it), Complete last.
inline void ExpectBackupStatusSequence(const std::vector<restore_test::StatusEvent>& events) {
  ASSERT_GE(events.size(), 3u) << "expected Begin, progress and Complete";
  EXPECT_EQ(JET_SNT{JET_sntBegin}, events.front().snt);
  EXPECT_EQ(JET_SNT{JET_sntComplete}, events.back().snt);
  const JET_SESID first_sesid = events.front().sesid;
  EXPECT_TRUE(first_sesid == 0 || first_sesid == kNilSesid) << "sesid " << first_sesid;
  restore_test::ExpectProgressEvents(events, JET_snpBackup, first_sesid);
}

}  // namespace backup_instance_test

class BackupInstanceTest : public RestoreTest {
 protected:
  using Rows = restore_test::Rows;

  // A backup directory under the test's folder (no trailing '/'); created unless `create` is
  // false.
  std::string BackupDir(const std::string& name = "bk", bool create = true) const {
    const std::string path = dir_.path() + "/" + name;
    if (create) {
      std::error_code error;
      std::filesystem::create_directories(path, error);
      EXPECT_FALSE(error) << path;
    }
    return path;
  }

  JET_ERR Backup(const std::string& dir, JET_GRBIT grbit = 0, JET_PFNSTATUS status = nullptr) {
    return JetBackupInstanceA(instance_, dir.c_str(), grbit, status);
  }

  JET_ERR BackupW(const std::string& dir, JET_GRBIT grbit = 0, JET_PFNSTATUS status = nullptr) {
    const std::u16string wide = Widen(dir);
    return JetBackupInstanceW(instance_, reinterpret_cast<const JET_WCHAR*>(wide.c_str()), grbit, status);
  }

  // Restores `set` (a backup directory: JetRestoreInstance finds the backup in it, in new/ or
  // in old/) with a fresh restore instance into a fresh destination folder, initialises it,
  // reads table t and terminates the restore instance. The source keeps running.
  Rows RestoreCopy(const std::string& set, JET_ERR* restore_err = nullptr) {
    const std::string suffix = "r" + std::to_string(++restores_);
    const std::string paths = dir_.Sub(suffix);
    const std::string dest = dir_.Sub(suffix + "dest");
    JET_INSTANCE restorer = RestoreInstanceAt(suffix, paths);
    const JET_ERR err = Restore(restorer, set, dest.c_str());
    if (restore_err != nullptr) *restore_err = err;
    Rows rows;
    if (err != JET_errSuccess) {
      if (restore_err == nullptr) ADD_FAILURE() << "JetRestoreInstanceA(" << set << ") = " << err;
      return rows;
    }
    rows = InitAndReadRows(restorer, dest + "db.edb");
    EXPECT_EQ(JET_errSuccess, JetTerm(restorer));
    return rows;
  }

  // RestoreCopy and a row-by-row comparison with `expected`.
  void ExpectRestores(const std::string& set, const Rows& expected, const std::string& what) {
    restore_test::ExpectSameRows(expected, RestoreCopy(set), what);
  }

  int restores_ = 0;
};

}  // namespace esent_test
