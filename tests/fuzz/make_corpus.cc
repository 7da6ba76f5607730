// make_fuzz_corpus: writes the seed corpus of every fuzz target (tests/fuzz/README.md).
//
// Usage: make_fuzz_corpus <corpus folder>   (normally tests/fuzz/corpus)
//
// It runs the engine once on an in-memory file system — an instance with a database, a table
// of a few rows, a JetBackupInstance to /bk — and cuts the seeds from the files that run
// leaves: database header copies, pages with a page op, the log folder, the checkpoint, the
// backup folder and its manifest. The api seeds are call sequences written by hand in the
// opcode encoding of api_fuzz.cc. Existing seed-* files of a target are replaced; other files
// (inputs the fuzzer found and someone kept) are left alone.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "api/jet.h"
#include "btree/node.h"
#include "btree/page_ops.h"
#include "engine/registry.h"
#include "fuzz_util.h"

namespace {

using esent_fuzz::FileImage;

std::filesystem::path g_root;

void write_seed(const std::string& target, const std::string& name, const std::string& bytes) {
  std::filesystem::path folder = g_root / target;
  std::filesystem::create_directories(folder);
  std::ofstream out(folder / ("seed-" + name), std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::printf("%s/seed-%s: %zu bytes\n", target.c_str(), name.c_str(), bytes.size());
}

std::string to_string(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::vector<std::byte> read_file(esent::io::FileSystem& fs, const std::string& path) {
  auto file = fs.open_file(path, {});
  if (!file.ok()) return {};
  auto size = file.value()->size();
  if (!size.ok()) return {};
  std::vector<std::byte> bytes(size.value());
  if (!bytes.empty() && !file.value()->read_at(0, bytes).ok()) return {};
  return bytes;
}

// Every file under root (recursively), named relative to it.
void collect(esent::io::FileSystem& fs, const std::string& root, const std::string& relative,
             std::vector<FileImage>& out) {
  auto names = fs.list_directory(root + relative);
  if (!names.ok()) return;
  for (const std::string& name : names.value()) {
    std::string child = relative.empty() ? name : relative + "/" + name;
    auto is_folder = fs.directory_exists(root + child);
    if (is_folder.ok() && is_folder.value()) {
      collect(fs, root, child, out);
    } else {
      out.push_back({child, read_file(fs, root + child)});
    }
  }
}

bool ok(JET_ERR err, const char* what) {
  if (err < 0) std::fprintf(stderr, "%s failed: %d\n", what, static_cast<int>(err));
  return err >= 0;
}

// The engine run the file seeds come from. False when a step failed.
bool run_engine(esent::io::FileSystem& fs, std::vector<FileImage>& logs_after_backup,
                std::vector<FileImage>& backup) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  JET_COLUMNID id = 0;
  JET_COLUMNID value = 0;
  if (!ok(JetCreateInstanceA(&instance, "corpus"), "JetCreateInstance")) return false;
  JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on");
  JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, "/logs/");
  JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, "/logs/");
  JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0, "/data/temp.edb");
  JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, 64, nullptr);
  if (!ok(JetInit(&instance), "JetInit") ||
      !ok(JetBeginSessionA(instance, &sesid, nullptr, nullptr), "JetBeginSession") ||
      !ok(JetCreateDatabaseA(sesid, "/data/a.edb", nullptr, &dbid, 0), "JetCreateDatabase") ||
      !ok(JetBeginTransaction(sesid), "JetBeginTransaction") ||
      !ok(JetCreateTableA(sesid, dbid, "t", 0, 100, &table), "JetCreateTable")) {
    return false;
  }
  JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
  JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
  const char key[] = "+id\0";
  if (!ok(JetAddColumnA(sesid, table, "id", &id_def, nullptr, 0, &id), "JetAddColumn") ||
      !ok(JetAddColumnA(sesid, table, "value", &value_def, nullptr, 0, &value), "JetAddColumn") ||
      !ok(JetCreateIndexA(sesid, table, "primary", JET_bitIndexPrimary, key, sizeof(key), 100),
          "JetCreateIndex") ||
      !ok(JetCommitTransaction(sesid, 0), "JetCommitTransaction")) {
    return false;
  }
  for (std::int32_t row = 0; row < 12; ++row) {
    std::string bytes(static_cast<std::size_t>(row) * 37 + 5, static_cast<char>('a' + row % 26));
    if (!ok(JetBeginTransaction(sesid), "JetBeginTransaction") ||
        !ok(JetPrepareUpdate(sesid, table, JET_prepInsert), "JetPrepareUpdate") ||
        !ok(JetSetColumn(sesid, table, id, &row, sizeof(row), 0, nullptr), "JetSetColumn") ||
        !ok(JetSetColumn(sesid, table, value, bytes.data(), static_cast<JET_UINT32>(bytes.size()), 0,
                         nullptr),
            "JetSetColumn") ||
        !ok(JetUpdate(sesid, table, nullptr, 0, nullptr), "JetUpdate") ||
        !ok(JetCommitTransaction(sesid, 0), "JetCommitTransaction")) {
      return false;
    }
  }
  if (!ok(JetBackupInstanceA(instance, "/bk", 0, nullptr), "JetBackupInstance")) return false;
  collect(fs, "/logs/", "", logs_after_backup);
  collect(fs, "/bk/", "", backup);
  return ok(JetTerm2(instance, 0), "JetTerm2");
}

// api_fuzz call sequences (opcode encoding: see api_fuzz.cc; {0, 0} picks live handle 0).
std::string api_happy_path(bool abrupt_in_backup) {
  std::vector<std::uint8_t> s = {
      0, 1, 0,              // JetInit, recovery on, not circular
      2, 0, 0,              // JetBeginSession(instance)
      4, 0, 0, 0, 0,        // JetCreateDatabase(/data/a.edb)
      12, 0, 0, 0, 0, 0,    // JetCreateTable(t)
      15, 0, 0, 0, 0, 0, 1, 4, 0, 0,   // JetAddColumn(id, Long)
      15, 0, 0, 0, 0, 1, 1, 11, 0, 0,  // JetAddColumn(value, LongBinary)
      16, 0, 0, 0, 0, 0, 2,            // JetCreateIndex(+id, primary)
      9, 0, 0,                         // JetBeginTransaction
      17, 0, 0, 0, 0, 0,               // JetPrepareUpdate(insert)
      18, 0, 0, 0, 0, 0, 0, 3, 7, 0, 0, 0, 0,  // JetSetColumn(id, 4 bytes)
      19, 0, 0, 0, 0, 0,               // JetUpdate
      10, 0, 0, 0,                     // JetCommitTransaction
      22, 0, 0, 0, 0, 0, 0,            // JetMove(first)
      20, 0, 0, 0, 0, 0, 0, 3, 0,      // JetRetrieveColumn(4 bytes)
      21, 0, 0, 0, 0, 3, 1, 0,         // JetMakeKey + JetSeek(EQ)
      24, 0, 0, 0,                     // JetBeginExternalBackupInstance
      25, 0, 0, 10,                    // JetGetAttachInfoInstance(4096)
      28, 0, 0, 0,                     // JetOpenFileInstance(/data/a.edb)
      29, 0, 0, 0, 0, 15,              // JetReadFileInstance(65536)
      29, 0, 0, 0, 0, 14,              // JetReadFileInstance(8192)
      29, 0, 0, 0, 0, 12,              // JetReadFileInstance(65537)
  };
  if (abrupt_in_backup) {
    s.insert(s.end(), {1, 1});  // JetTerm2(abrupt) in the middle of the backup
    s.insert(s.end(), {0, 1, 1, 2, 0, 0, 6, 0, 0, 0, 0});  // again: init, session, open database
    return {s.begin(), s.end()};
  }
  s.insert(s.end(), {
      30, 0, 0, 0, 0,                  // JetCloseFileInstance
      26, 0, 0, 10,                    // JetGetLogInfoInstance
      27, 0, 0, 10,                    // JetGetTruncateLogInfoInstance
      31, 0, 0,                        // JetTruncateLogInstance
      32, 0, 0, 0,                     // JetEndExternalBackupInstance2(normal)
      33, 0, 0, 0,                     // JetBackupInstance(/backup)
      23, 0, 0, 0, 0,                  // JetDelete
      14, 0, 0, 0, 0,                  // JetCloseTable
      3, 0, 0,                         // JetEndSession
      1, 0,                            // JetTerm2
  });
  return {s.begin(), s.end()};
}

std::string api_bad_handles() {
  std::vector<std::uint8_t> s = {
      0, 1, 1,                          // JetInit, circular
      2, 0, 0,                          // JetBeginSession
      3, 7, 0, 1, 2, 3, 4, 5, 6, 7, 8,  // JetEndSession(garbage)
      12, 8, 0, 9, 0, 0,                // JetCreateTable(cross-kind session, zero dbid)
      3, 0, 0,                          // JetEndSession(live)
      9, 6, 0,                          // JetBeginTransaction(stale session)
      29, 9, 1, 9, 0, 13,               // JetReadFileInstance(all ones, 0, 200000)
      1, 0,                             // JetTerm2
      2, 6, 0,                          // JetBeginSession(stale instance)
  };
  return {s.begin(), s.end()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_corpus <corpus folder>\n");
    return 2;
  }
  g_root = argv[1];
  setenv("ESENT_LOG_LEVEL", "warn", 0);
  auto memory = std::make_shared<esent::io::MemoryFileSystem>();
  if (!memory->create_directories("/logs").ok() || !memory->create_directories("/data").ok() ||
      !memory->create_directories("/bk").ok() ||
      !esent::engine::Registry::process().set_file_system_for_testing(memory).ok()) {
    return 1;
  }
  std::vector<FileImage> logs_after_backup;
  std::vector<FileImage> backup;
  if (!run_engine(*memory, logs_after_backup, backup)) return 1;
  std::vector<FileImage> logs_after_term;
  collect(*memory, "/logs/", "", logs_after_term);
  std::vector<std::byte> database = read_file(*memory, "/data/a.edb");
  std::uint32_t page_size = esent::page::claimed_page_size(database);
  if (!esent::page::valid_page_size(page_size) || database.size() < 4u * page_size) return 1;

  // database_header: both copies, as given and resealed.
  for (std::uint32_t copy : {0u, 1u}) {
    auto page = std::span<const std::byte>(database).subspan(copy * page_size, page_size);
    write_seed("database_header", "copy" + std::to_string(copy),
               std::string(1, static_cast<char>(copy)) + to_string(page));
    write_seed("database_header", "copy" + std::to_string(copy) + "-resealed",
               std::string(1, static_cast<char>(copy | 2)) + to_string(page));
  }

  // page: every page of the database with a page op for it (insert, siblings, init).
  std::uint8_t size_code = 0;
  while ((esent::page::kMinPageSize << size_code) < page_size) ++size_code;
  std::size_t pages = database.size() / page_size;
  for (std::size_t i = 2; i < pages && i < 12; ++i) {
    auto pgno = static_cast<esent::page::Pgno>(i);
    std::string entry;
    esent::btree::node::encode_leaf_entry("key", "value", entry);
    std::span<const std::byte> entry_bytes(reinterpret_cast<const std::byte*>(entry.data()), entry.size());
    esent::btree::PageOp ops[] = {
        esent::btree::PageOp::insert_entries(pgno, 0, 1, entry_bytes),
        esent::btree::PageOp::set_siblings(pgno, 3, 4),
        esent::btree::PageOp::delete_entries(pgno, 0, 1),
    };
    std::string op;
    esent::btree::encode(ops[i % 3], op);
    std::string seed(1, static_cast<char>(size_code));
    for (int b = 0; b < 4; ++b) seed.push_back(static_cast<char>((pgno >> (8 * b)) & 0xFF));
    seed.push_back(static_cast<char>(op.size() & 0xFF));
    seed.push_back(static_cast<char>(op.size() >> 8));
    seed += op;
    auto page = std::span<const std::byte>(database).subspan(i * page_size, page_size);
    std::size_t used = page.size();
    while (used > 0 && page[used - 1] == std::byte{0}) --used;
    seed += to_string(page.subspan(0, used));
    write_seed("page", "page" + std::to_string(i), seed);
  }

  // log: the log folder during the backup and after the term, as given and resealed.
  write_seed("log", "after-backup", std::string(1, '\x02') + esent_fuzz::encode_files(logs_after_backup));
  write_seed("log", "after-term", std::string(1, '\x02') + esent_fuzz::encode_files(logs_after_term));
  write_seed("log", "after-term-resealed", std::string(1, '\x03') + esent_fuzz::encode_files(logs_after_term));

  // checkpoint: the checkpoint file after the backup and after the term.
  for (const auto* set : {&logs_after_backup, &logs_after_term}) {
    for (const FileImage& file : *set) {
      if (esent_fuzz::ends_with(file.name, ".chk")) {
        write_seed("checkpoint", set == &logs_after_term ? "after-term" : "after-backup",
                   to_string(file.bytes));
      }
    }
  }

  // manifest and backup_set: the folder JetBackupInstance wrote.
  for (const FileImage& file : backup) {
    if (esent_fuzz::ends_with(file.name, "esent-backup.manifest")) {
      write_seed("manifest", "backup", to_string(file.bytes));
    }
  }
  write_seed("backup_set", "as-written", std::string(1, '\0') + esent_fuzz::encode_files(backup));
  write_seed("backup_set", "resealed", std::string(1, '\x07') + esent_fuzz::encode_files(backup));

  write_seed("api", "happy-path", api_happy_path(false));
  write_seed("api", "abrupt-in-backup", api_happy_path(true));
  write_seed("api", "bad-handles", api_bad_handles());
  return 0;
}
