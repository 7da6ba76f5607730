// Database header encode/decode: every field round-trips, and a damaged copy is refused.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

#include "page/database_header.h"
#include "page/page.h"

namespace esent::page {
namespace {

LogTime time_n(std::uint8_t n) {
  return LogTime{n, static_cast<std::uint8_t>(n + 1), static_cast<std::uint8_t>(n + 2),
                 static_cast<std::uint8_t>(n + 3), static_cast<std::uint8_t>(n + 4),
                 static_cast<std::uint8_t>(n + 5), static_cast<std::uint8_t>(n + 6),
                 static_cast<std::uint8_t>(n + 7)};
}
LogPosition position_n(std::uint16_t n) {
  return LogPosition{n, static_cast<std::uint16_t>(n + 1), -static_cast<std::int32_t>(n) - 2};
}
BackupInfo backup_n(std::uint8_t n, BackupType type) {
  return BackupInfo{position_n(n), time_n(n), 100u + n, 200u + n, type};
}

// A header whose every field differs from its default and from the others.
DatabaseHeader distinct_header(std::uint32_t page_size) {
  DatabaseHeader h;
  h.page_size_bytes = page_size;
  h.update_sequence = 0x0102030405060708ull;
  h.format_version = 0x620;
  h.format_update = 0x14;
  h.signature.random = 0xdeadbeef;
  h.signature.created = time_n(1);
  set_computer_name(h.signature, "hostname-abcdef");
  h.state = DatabaseState::kDirtyShutdown;
  h.consistent_position = position_n(10);
  h.consistent_time = time_n(11);
  h.attach_time = time_n(12);
  h.attach_position = position_n(13);
  h.detach_time = time_n(14);
  h.detach_position = position_n(15);
  h.log_signature.random = 77;
  h.log_signature.created = time_n(16);
  set_computer_name(h.log_signature, "loghost");
  h.backup_full_previous = backup_n(20, BackupType::kStreaming);
  h.backup_incremental_previous = backup_n(21, BackupType::kStreaming);
  h.backup_full_current = backup_n(22, BackupType::kSnapshot);
  h.backup_copy_previous = backup_n(23, BackupType::kSnapshot);
  h.backup_differential_previous = backup_n(24, BackupType::kStreaming);
  h.shadowing_disabled = 1;
  h.upgrade_db = 1;
  h.os_major_version = 6;
  h.os_minor_version = 2;
  h.os_build_number = 9200;
  h.os_service_pack = -3;
  h.generation_min_required = 31;
  h.generation_max_required = 32;
  h.generation_max_create_time = time_n(33);
  h.repair_count = 34;
  h.repair_time = time_n(35);
  h.repair_count_old = 36;
  h.ecc_fix_success_count = 37;
  h.ecc_fix_success_time = time_n(38);
  h.ecc_fix_success_count_old = 39;
  h.ecc_fix_fail_count = 40;
  h.ecc_fix_fail_time = time_n(41);
  h.ecc_fix_fail_count_old = 42;
  h.bad_checksum_count = 43;
  h.bad_checksum_time = time_n(44);
  h.bad_checksum_count_old = 45;
  h.generation_committed = 46;
  h.incremental_reseed_count = 47;
  h.incremental_reseed_time = time_n(48);
  h.incremental_reseed_count_old = 49;
  h.page_patch_count = 50;
  h.page_patch_time = time_n(51);
  h.page_patch_count_old = 52;
  h.page_format_version = kPageFormatVersion;
  h.dbtime = 0x1122334455667788ull;
  h.size_pages = 1000;
  h.max_size_pages = 5000;
  h.first_space_map = 2;
  h.space_map_interval_pages = 32128;
  h.catalog_root = 4;
  h.next_object_id = 99;
  h.flags = 0x80000001u;
  h.extra_roots = {5, 6, 7, 8};
  return h;
}

std::vector<std::byte> encoded(const DatabaseHeader& h, Pgno pgno) {
  std::vector<std::byte> p(h.page_size_bytes);
  encode_database_header(h, p, pgno);
  return p;
}

TEST(DatabaseHeader, EveryFieldRoundTripsInBothCopiesAndEveryPageSize) {
  for (std::uint32_t size : {4096u, 8192u, 16384u, 32768u}) {
    const DatabaseHeader h = distinct_header(size);
    for (Pgno copy : {kHeaderCopy0, kHeaderCopy1}) {
      auto p = encoded(h, copy);
      EXPECT_EQ(type(std::span<const std::byte>(p)), PageType::kDatabaseHeader);
      Result<DatabaseHeader> decoded = decode_database_header(p, copy);
      ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
      EXPECT_TRUE(decoded.value() == h) << "page size " << size << " copy " << copy;
      EXPECT_EQ(claimed_page_size(p), size);
      EXPECT_TRUE(has_database_magic(p));
    }
  }
}

TEST(DatabaseHeader, DefaultHeaderRoundTrips) {
  DatabaseHeader h;
  auto p = encoded(h, 0);
  Result<DatabaseHeader> decoded = decode_database_header(p, 0);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded.value() == h);
  EXPECT_EQ(decoded->state, DatabaseState::kJustCreated);
}

TEST(DatabaseHeader, FieldsLandAtTheirDocumentedOffsets) {
  const DatabaseHeader h = distinct_header(4096);
  auto p = encoded(h, 1);
  std::span<const std::byte> s(p);
  EXPECT_EQ(detail::load<std::uint64_t>(s, DatabaseHeaderLayout::kMagic), kDatabaseMagic);
  EXPECT_EQ(detail::load<std::uint32_t>(s, DatabaseHeaderLayout::kState), 2u);
  EXPECT_EQ(detail::load<std::uint32_t>(s, DatabaseHeaderLayout::kSignature), 0xdeadbeefu);
  EXPECT_EQ(static_cast<char>(s[DatabaseHeaderLayout::kSignature + 12]), 'h');
  EXPECT_EQ(detail::load<std::uint32_t>(s, DatabaseHeaderLayout::kBackupFullCurrent + 24), 2u);
  EXPECT_EQ(detail::load<std::uint64_t>(s, DatabaseHeaderLayout::kDbtime), h.dbtime);
  EXPECT_EQ(detail::load<std::uint32_t>(s, DatabaseHeaderLayout::kExtraRoots + 12), 8u);
  EXPECT_EQ(page_number(s), 1u);
  EXPECT_EQ(dbtime(s), h.dbtime);
  for (std::size_t i = DatabaseHeaderLayout::kEnd; i < p.size(); ++i) {
    ASSERT_EQ(p[i], std::byte{0}) << i;
  }
}

TEST(DatabaseHeader, ComputerNameIsTruncatedTo15Bytes) {
  Signature s;
  set_computer_name(s, "a-very-long-computer-name");
  EXPECT_EQ(computer_name(s), "a-very-long-com");
  EXPECT_EQ(s.computer_name[15], '\0');
}

TEST(DatabaseHeader, LogTimeFromUnixMilliseconds) {
  // 2021-03-04 05:06:07.891 UTC
  LogTime t = LogTime::from_unix_milliseconds(1614834367891);
  EXPECT_EQ(t.year, 121);
  EXPECT_EQ(t.month, 3);
  EXPECT_EQ(t.day, 4);
  EXPECT_EQ(t.hours, 5);
  EXPECT_EQ(t.minutes, 6);
  EXPECT_EQ(t.seconds, 7);
  EXPECT_EQ(t.filler1 & 1, 1);  // UTC
  const unsigned ms = (t.filler1 >> 1) | (((t.filler2 >> 1) & 7u) << 7);
  EXPECT_EQ(ms, 891u);
  EXPECT_TRUE(t.is_set());
  EXPECT_FALSE(LogTime{}.is_set());
}

TEST(DatabaseHeader, FlippedBitIsAVerifyFailure) {
  auto p = encoded(distinct_header(4096), 0);
  p[DatabaseHeaderLayout::kState] ^= std::byte{1};
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kReadVerifyFailure);
}

TEST(DatabaseHeader, CopyReadAtTheOtherSlotIsAPgnoFailure) {
  auto p = encoded(distinct_header(4096), 0);
  EXPECT_EQ(decode_database_header(p, 1).status().error(), Error::kReadPgnoVerifyFailure);
}

TEST(DatabaseHeader, AllZeroIsNotAHeader) {
  std::vector<std::byte> p(4096);
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kReadVerifyFailure);
}

TEST(DatabaseHeader, SoundPageWithoutMagicIsNotADatabase) {
  auto p = encoded(distinct_header(4096), 0);
  detail::store<std::uint64_t>(p, DatabaseHeaderLayout::kMagic, 12345);
  seal(p, 0);
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kInvalidDatabase);
  auto q = encoded(distinct_header(4096), 0);
  set_type(q, PageType::kBtreeLeaf);
  seal(q, 0);
  EXPECT_EQ(decode_database_header(q, 0).status().error(), Error::kInvalidDatabase);
}

TEST(DatabaseHeader, NewerLayoutIsRefused) {
  auto p = encoded(distinct_header(4096), 0);
  detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kHeaderVersion,
                               kDatabaseHeaderVersion + 1);
  seal(p, 0);
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kInvalidDatabaseVersion);
  auto q = encoded(distinct_header(4096), 0);
  detail::store<std::uint32_t>(q, DatabaseHeaderLayout::kPageFormatVersion,
                               kPageFormatVersion + 1);
  seal(q, 0);
  EXPECT_EQ(decode_database_header(q, 0).status().error(), Error::kInvalidDatabaseVersion);
}

TEST(DatabaseHeader, PageSizeFieldMustMatchThePage) {
  auto p = encoded(distinct_header(8192), 0);
  detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kPageSize, 4096);
  seal(p, 0);
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kInvalidDatabase);
  detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kPageSize, 5000);
  seal(p, 0);
  EXPECT_EQ(decode_database_header(p, 0).status().error(), Error::kInvalidDatabase);
}

}  // namespace
}  // namespace esent::page

namespace esent::page {
namespace {

// The worked example of docs/format/database-header.md.
TEST(DatabaseHeader, WorkedExampleFromTheDocs) {
  DatabaseHeader h;
  h.page_size_bytes = 4096;
  h.update_sequence = 3;
  h.signature.random = 0x12345678;
  // 2026-01-01 01:02:03.004 UTC
  h.signature.created = LogTime::from_unix_milliseconds(1767225600000LL + 3723004);
  set_computer_name(h.signature, "host1");
  h.state = DatabaseState::kCleanShutdown;
  h.dbtime = 1000;
  h.size_pages = 64;
  h.first_space_map = 2;
  h.space_map_interval_pages = 32128;
  h.catalog_root = 3;
  h.next_object_id = 5;
  std::vector<std::byte> p(4096);
  encode_database_header(h, p, 0);
  const unsigned char row0[16] = {0x88, 0x4f, 0xa6, 0x49, 0xe1, 0xc8, 0x6a, 0x2c,
                                  0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
  const unsigned char row60[16] = {0x78, 0x56, 0x34, 0x12, 0x03, 0x02, 0x01, 0x01,
                                   0x01, 0x7e, 0x09, 0x00, 0x68, 0x6f, 0x73, 0x74};
  const unsigned char row1f0[16] = {0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x02, 0x00, 0x00, 0x00, 0x80, 0x7d, 0x00, 0x00};
  for (std::size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(static_cast<unsigned>(p[i]), row0[i]) << i;
    EXPECT_EQ(static_cast<unsigned>(p[0x60 + i]), row60[i]) << i;
    EXPECT_EQ(static_cast<unsigned>(p[0x1f0 + i]), row1f0[i]) << i;
  }
}

}  // namespace
}  // namespace esent::page

namespace esent::page {
namespace {

// Random bytes that pass the checksum and carry the magic must decode to a header or an error,
// never crash (a small in-test fuzzer; run under ASan).
TEST(DatabaseHeader, RandomSoundPagesNeverCrashTheDecoder) {
  const std::uint32_t seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 engine(seed);
  for (int i = 0; i < 300; ++i) {
    const std::uint32_t size = 4096u << (engine() % 4);
    std::vector<std::byte> p(size);
    for (auto& b : p) b = static_cast<std::byte>(engine());
    set_type(p, PageType::kDatabaseHeader);
    detail::store<std::uint64_t>(p, DatabaseHeaderLayout::kMagic, kDatabaseMagic);
    if (engine() % 2 == 0) detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kPageSize, size);
    if (engine() % 2 == 0) {
      detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kHeaderVersion, 1);
      detail::store<std::uint32_t>(p, DatabaseHeaderLayout::kPageFormatVersion, 1);
    }
    const Pgno pgno = engine() % 2;
    seal(p, pgno);
    Result<DatabaseHeader> h = decode_database_header(p, pgno);
    if (h.ok()) {
      EXPECT_EQ(h->page_size_bytes, size);
      // What decodes re-encodes to the same fields.
      std::vector<std::byte> again(size);
      encode_database_header(h.value(), again, pgno);
      Result<DatabaseHeader> h2 = decode_database_header(again, pgno);
      ASSERT_TRUE(h2.ok());
      EXPECT_TRUE(h2.value() == h.value());
    } else {
      EXPECT_TRUE(h.status().error() == Error::kInvalidDatabase ||
                  h.status().error() == Error::kInvalidDatabaseVersion)
          << h.status().to_string();
    }
  }
}

}  // namespace
}  // namespace esent::page
