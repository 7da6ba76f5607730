// Damaged database files through the API: every page is verified when it is read, so a flipped
// bit is JET_errReadVerifyFailure, a page written at the wrong place JET_errReadPgnoVerifyFailure,
// and a file whose two header copies are both damaged JET_errDatabaseCorrupted — never a crash,
// never wrong data, and the instance stays usable.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

constexpr std::uint32_t kPageSize = 4096;

class CorruptionTest : public StorageTest {
 protected:
  // A detached database of `rows` keyed rows; returns its path.
  std::string Build(int rows) {
    const JET_DBID dbid = CreateDatabase("damaged.edb");
    columns_ = CreateKeyedTable(dbid);
    JET_TABLEID tableid = OpenTable(dbid, "Keyed");
    for (std::int32_t key = 0; key < rows; ++key) {
      EXPECT_EQ(JET_errSuccess, InsertRow(tableid, columns_, key, key, std::string(40, 'x')));
    }
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
    EXPECT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
    EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, DatabasePath("damaged.edb").c_str()));
    return DatabasePath("damaged.edb");
  }

  static std::vector<char> ReadPage(const std::string& path, std::uint32_t pgno) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(pgno) * kPageSize);
    std::vector<char> page(kPageSize);
    in.read(page.data(), kPageSize);
    return page;
  }

  static void WritePage(const std::string& path, std::uint32_t pgno, const std::vector<char>& page) {
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(static_cast<std::streamoff>(pgno) * kPageSize);
    out.write(page.data(), kPageSize);
  }

  // Attaches and scans every row; returns the first error of the scan, or success when the scan
  // reached the end.
  JET_ERR Scan(const std::string& path) {
    JET_ERR err = JetAttachDatabaseA(sesid_, path.c_str(), 0);
    if (err < 0) return err;
    JET_DBID dbid = kNilDbid;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
    JET_TABLEID tableid = kNilTableid;
    err = JetOpenTableA(sesid_, dbid, "Keyed", nullptr, 0, 0, &tableid);
    if (err >= 0) {
      std::int32_t expected = 0;
      for (err = JetMove(sesid_, tableid, kMoveFirst, 0); err >= 0;
           err = JetMove(sesid_, tableid, kMoveNext, 0)) {
        std::int32_t key = -1;
        std::uint32_t actual = 0;
        err = JetRetrieveColumn(sesid_, tableid, columns_.key, &key, sizeof key, &actual, 0, nullptr);
        if (err < 0) break;
        EXPECT_EQ(expected, key) << "a damaged file must never give wrong data";
        ++expected;
      }
      JetCloseTable(sesid_, tableid);
    }
    JetCloseDatabase(sesid_, dbid, 0);
    // The instance is still usable: the database detaches.
    EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
    return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
  }

  KeyedColumns columns_;
};

// Page 2 is the first space map, then the catalog's pages; data pages come after. The last page
// in use holds records of the table.
std::uint32_t LastUsedPage(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint32_t>(in.tellg());
  std::vector<char> page(kPageSize);
  for (std::uint32_t pgno = size / kPageSize - 1; pgno > 2; --pgno) {
    in.seekg(static_cast<std::streamoff>(pgno) * kPageSize);
    in.read(page.data(), kPageSize);
    for (char c : page) {
      if (c != 0) return pgno;
    }
  }
  return 0;
}

TEST_F(CorruptionTest, AFlippedBitIsReadVerifyFailure) {
  const std::string path = Build(2000);
  const std::uint32_t pgno = LastUsedPage(path);
  ASSERT_GT(pgno, 3u);
  std::vector<char> page = ReadPage(path, pgno);
  page[kPageSize / 2] = static_cast<char>(page[kPageSize / 2] ^ 0x10);
  WritePage(path, pgno, page);
  EXPECT_EQ(JET_errReadVerifyFailure, Scan(path));
}

TEST_F(CorruptionTest, APageAtTheWrongPlaceIsReadPgnoVerifyFailure) {
  const std::string path = Build(2000);
  const std::uint32_t pgno = LastUsedPage(path);
  ASSERT_GT(pgno, 4u);
  // Page pgno - 1, sound in itself, written over page pgno.
  WritePage(path, pgno, ReadPage(path, pgno - 1));
  EXPECT_EQ(JET_errReadPgnoVerifyFailure, Scan(path));
}

TEST_F(CorruptionTest, BothHeaderCopiesDamagedIsDatabaseCorrupted) {
  const std::string path = Build(10);
  for (std::uint32_t copy : {0u, 1u}) {
    std::vector<char> page = ReadPage(path, copy);
    page[200] = static_cast<char>(page[200] ^ 0x01);
    WritePage(path, copy, page);
  }
  EXPECT_EQ(JET_errDatabaseCorrupted, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  JET_DBINFOMISC misc{};
  EXPECT_EQ(JET_errDatabaseCorrupted,
            JetGetDatabaseFileInfoA(path.c_str(), &misc, sizeof misc, JET_DbInfoMisc));
}

TEST_F(CorruptionTest, OneDamagedHeaderCopyIsRepairedFromTheOther) {
  const std::string path = Build(10);
  std::vector<char> page = ReadPage(path, 0);
  page[300] = static_cast<char>(page[300] ^ 0x01);
  WritePage(path, 0, page);
  EXPECT_EQ(JET_errSuccess, Scan(path));
}

}  // namespace
}  // namespace esent_test
