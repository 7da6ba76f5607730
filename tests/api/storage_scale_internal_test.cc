// The storage acceptance load: a 1-million-row table of 100-byte records, loaded through the
// public API with a cache far smaller than the data (JET_paramCacheSizeMax = 1024 pages, 4 MiB),
// read back in order and by key, then walked by the on-disk checker, whose primary tree must
// be at least three levels deep. Under the sanitizers the table is smaller — 200,000 rows under
// ASan, 50,000 under TSan — and still three levels deep, unless ESENT_LONG_TESTS=1.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "api/jet.h"
#include "cache/buffer_cache.h"
#include "catalog/database.h"
#include "io/file_system.h"

namespace {

#if defined(__SANITIZE_THREAD__)
constexpr std::int32_t kDefaultRows = 50'000;  // still three levels deep
#elif defined(__SANITIZE_ADDRESS__)
constexpr std::int32_t kDefaultRows = 200'000;
#else
constexpr std::int32_t kDefaultRows = 1'000'000;
#endif
constexpr JET_API_PTR kDefaultCacheSizeMax = 2000000000;  // the parameter table's default

std::int32_t RowCount() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::strcmp(value, "1") == 0 ? 1'000'000 : kDefaultRows;
}

// Payload of row `key`: 96 bytes derived from the key, so every read can be checked.
void FillPayload(std::int32_t key, char* out) {
  std::uint32_t x = static_cast<std::uint32_t>(key) * 2654435761u + 12345u;
  for (int i = 0; i < 96; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = static_cast<char>(x >> 24);
  }
}

TEST(StorageScale, MillionRowsLoadReadBackAndPassTheChecker) {
  const std::int32_t rows = RowCount();
  char folder_template[] = "/tmp/esent-scale-XXXXXX";
  ASSERT_NE(mkdtemp(folder_template), nullptr);
  const std::string folder = std::string(folder_template) + "/";
  const std::string path = folder + "scale.edb";

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, 1024, nullptr));
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&instance, "scale"));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, folder.c_str()));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, folder.c_str()));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
  JET_TABLEID table = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, dbid, "Rows", 0, 100, &table));
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  JET_COLUMNID key_column = 0;
  JET_COLUMNID payload_column = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, table, "Key", &def, nullptr, 0, &key_column));
  def.coltyp = JET_coltypBinary;
  def.cbMax = 96;
  def.grbit = JET_bitColumnFixed;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, table, "Payload", &def, nullptr, 0, &payload_column));
  const char index[] = "+Key\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid, table, "primary", JET_bitIndexPrimary, index, sizeof(index), 100));

  // Load, 1,000 rows per transaction.
  char payload[96];
  for (std::int32_t key = 0; key < rows; ++key) {
    if (key % 1000 == 0) {
      ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    }
    FillPayload(key, payload);
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, table, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, key_column, &key, 4, 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, payload_column, payload, 96, 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, table, nullptr, 0, nullptr));
    if (key % 1000 == 999 || key == rows - 1) {
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
    }
  }

  // Read back in key order.
  char read[96];
  JET_UINT32 actual = 0;
  std::int32_t expected = 0;
  JET_ERR moved = JetMove(sesid, table, static_cast<JET_INT32>(0x80000000u) /* JET_MoveFirst */, 0);
  while (moved == JET_errSuccess) {
    std::int32_t key = -1;
    ASSERT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, key_column, &key, 4, &actual, 0, nullptr));
    ASSERT_EQ(expected, key);
    ASSERT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, payload_column, read, 96, &actual, 0, nullptr));
    FillPayload(key, payload);
    ASSERT_EQ(0, std::memcmp(read, payload, 96)) << "row " << key;
    ++expected;
    moved = JetMove(sesid, table, JET_MoveNext, 0);
  }
  EXPECT_EQ(JET_errNoCurrentRecord, moved);
  EXPECT_EQ(rows, expected);

  // And by key, in random order.
  std::mt19937 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::int32_t key = static_cast<std::int32_t>(random() % static_cast<std::uint32_t>(rows));
    ASSERT_EQ(JET_errSuccess, JetMakeKey(sesid, table, &key, 4, JET_bitNewKey));
    ASSERT_EQ(JET_errSuccess, JetSeek(sesid, table, JET_bitSeekEQ)) << "key " << key;
    ASSERT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, payload_column, read, 96, &actual, 0, nullptr));
    FillPayload(key, payload);
    ASSERT_EQ(0, std::memcmp(read, payload, 96)) << "row " << key;
  }
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid, dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid, path.c_str()));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, kDefaultCacheSizeMax, nullptr));

  // The checker, on the detached file.
  esent::cache::BufferCache cache(1024);
  esent::catalog::DatabaseOptions options;
  options.read_only = true;
  auto database = esent::catalog::Database::open(*esent::io::posix_file_system(), cache, path, options);
  ASSERT_TRUE(database.ok()) << database.status().to_string();
  auto report = (*database)->check();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(static_cast<std::uint64_t>(rows), report->records);
  EXPECT_GE(report->primary_depth_max, 3);
  std::printf("%d rows: %llu pages, %llu free, primary depth %d\n", rows,
              static_cast<unsigned long long>(report->pages),
              static_cast<unsigned long long>(report->free_pages), report->primary_depth_max);
  EXPECT_TRUE((*database)->close().ok());
  std::filesystem::remove_all(folder);
}

}  // namespace
