// The checkpoint file: names, round trips, limits, every kind of corruption, the exact byte
// layout (golden), locking and sticky failure, and crash atomicity over many seeds.
#include "log/checkpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"
#include "util/checksum.h"

namespace esent::log {
namespace {

namespace format = checkpoint_format;

// --- Helpers ---------------------------------------------------------------------------------

std::vector<std::byte> read_bytes(io::FileSystem& file_system, const std::string& path) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  EXPECT_TRUE(file.ok()) << file.status().to_string();
  if (!file.ok()) return {};
  Result<std::uint64_t> size = file.value()->size();
  EXPECT_TRUE(size.ok());
  std::vector<std::byte> bytes(static_cast<std::size_t>(size.value()));
  Result<std::size_t> count = file.value()->read_at(0, bytes);
  EXPECT_TRUE(count.ok());
  bytes.resize(count.value());
  return bytes;
}

void write_bytes(io::FileSystem& file_system, const std::string& path,
                 const std::vector<std::byte>& bytes) {
  Result<std::unique_ptr<io::File>> file =
      file_system.open_file(path, io::OpenOptions{.write = true, .create = true, .truncate = true});
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  ASSERT_TRUE(file.value()->write_at(0, bytes).ok());
}

std::uint32_t load_u32(const std::vector<std::byte>& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 4; i-- > 0;) {
    value = (value << 8) | std::to_integer<std::uint32_t>(bytes[at + i]);
  }
  return value;
}

void store_u16(std::vector<std::byte>& bytes, std::size_t at, std::uint16_t value) {
  bytes[at] = static_cast<std::byte>(value & 0xFFu);
  bytes[at + 1] = static_cast<std::byte>(value >> 8);
}

void store_u32(std::vector<std::byte>& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[at + i] = static_cast<std::byte>((value >> (8 * i)) & 0xFFu);
  }
}

// Recomputes the checksum of the copy at `slot` in a whole-file image, so a test can build a copy
// whose checksum holds but whose structure is wrong.
void reseal(std::vector<std::byte>& file_bytes, std::uint32_t slot) {
  const std::size_t start = slot * format::kSlotBytes;
  const std::size_t used = load_u32(file_bytes, start + format::kUsedBytesOffset);
  std::vector<std::byte> copy(file_bytes.begin() + static_cast<std::ptrdiff_t>(start),
                              file_bytes.begin() + static_cast<std::ptrdiff_t>(start + used));
  std::fill_n(copy.begin() + format::kChecksumOffset, 8, std::byte{0});
  std::uint64_t sum = checksum64(copy.data(), copy.size(), slot);
  for (std::size_t i = 0; i < 8; ++i) {
    file_bytes[start + format::kChecksumOffset + i] =
        static_cast<std::byte>((sum >> (8 * i)) & 0xFFu);
  }
}

LogTime make_time(std::uint8_t second) {
  return LogTime{{second, 15, 12, 22, 11, 126, 0x01, 0x00}};
}

Signature make_signature(std::uint32_t random, std::uint8_t second) {
  Signature signature;
  signature.random = random;
  signature.created = make_time(second);
  return signature;
}

// A checkpoint where every field holds a distinct non-zero value.
CheckpointData full_example() {
  CheckpointData data;
  data.log_signature = make_signature(0x11223344, 1);
  data.log_signature.computer_name[0] = 0x41;  // stored verbatim even though ESE zero-fills it
  data.log_signature.computer_name[15] = 0x5A;
  data.checkpoint = Lgpos{0x01020304, 0x0506, 0x0708};
  data.last_generation_at_write = 0x090A0B0C;
  data.full_backup = BackupMark{Lgpos{11, 12, 13}, make_time(14), 15, 16};
  data.incremental_backup = BackupMark{Lgpos{21, 22, 23}, make_time(24), 25, 26};
  data.differential_backup = BackupMark{Lgpos{31, 32, 33}, make_time(34), 35, 36};
  data.copy_backup = BackupMark{Lgpos{41, 42, 43}, make_time(44), 45, 46};
  data.clean_shutdown = true;
  data.attached.push_back(
      AttachedDatabase{1, "/data/first.edb", make_signature(0xA1, 2), Lgpos{1, 8, 44}, 0x1});
  data.attached.push_back(AttachedDatabase{7, "/données/deuxième base.edb", make_signature(0xB2, 3),
                                           Lgpos{2, 9, 45}, 0xFFFFFFFF});
  data.attached.push_back(AttachedDatabase{0xFFFFFFFF, "x", make_signature(0xC3, 4),
                                           Lgpos{0xFFFFFFFF, 0xFFFF, 0xFFFF}, 0});
  return data;
}

// A random checkpoint; `tag` lands in last_generation_at_write so versions differ.
CheckpointData random_checkpoint(std::mt19937_64& random, std::uint32_t tag) {
  CheckpointData data;
  data.log_signature = make_signature(static_cast<std::uint32_t>(random()) | 1, 5);
  data.checkpoint = Lgpos::unpack(random());
  data.last_generation_at_write = tag;
  data.full_backup.position = Lgpos::unpack(random());
  data.incremental_backup.low_generation = static_cast<std::uint32_t>(random());
  data.clean_shutdown = (random() & 1) != 0;
  const std::size_t count = random() % 6;
  for (std::size_t i = 0; i < count; ++i) {
    // Paths of varying length, some long enough to cross several 512-byte sectors.
    const std::size_t length = 1 + random() % 700;
    std::string path = "/db/" + std::string(length, static_cast<char>('a' + random() % 26));
    data.attached.push_back(
        AttachedDatabase{static_cast<std::uint32_t>(i + 1), path,
                         make_signature(static_cast<std::uint32_t>(random()), 6),
                         Lgpos::unpack(random()), static_cast<std::uint32_t>(random())});
  }
  return data;
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_.create_directories("/sys").ok()); }

  io::MemoryFileSystem fs_;
  const std::string path_ = "/sys/edb.chk";
};

// --- Names -----------------------------------------------------------------------------------

TEST(CheckpointNameTest, Ese98BitSelectsChkOtherwiseJcp) {
  EXPECT_EQ(checkpoint_file_name("edb", 0x1), "edb.chk");
  EXPECT_EQ(checkpoint_file_name("edb", 0x3), "edb.chk");  // ESENT's default: both bits
  EXPECT_EQ(checkpoint_file_name("edb", 0x0), "edb.jcp");
  EXPECT_EQ(checkpoint_file_name("edb", 0x2), "edb.jcp");  // EightDotThreeSoftCompat alone
  EXPECT_EQ(checkpoint_file_name("abc", 0x1), "abc.chk");
  EXPECT_EQ(checkpoint_file_name("abc", 0xFFFFFFFE), "abc.jcp");
}

// --- Round trips -----------------------------------------------------------------------------

TEST_F(CheckpointTest, RoundTripsEveryField) {
  const CheckpointData data = full_example();
  ASSERT_TRUE(write_checkpoint(fs_, path_, data).ok());
  Result<CheckpointData> read = read_checkpoint(fs_, path_);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read.value(), data);
  // Spot checks, so a broken operator== could not hide a lost field.
  EXPECT_EQ(read->log_signature.computer_name[15], 0x5A);
  EXPECT_EQ(read->checkpoint, (Lgpos{0x01020304, 0x0506, 0x0708}));
  EXPECT_EQ(read->copy_backup.high_generation, 46u);
  EXPECT_TRUE(read->clean_shutdown);
  ASSERT_EQ(read->attached.size(), 3u);
  EXPECT_EQ(read->attached[1].path, "/données/deuxième base.edb");
  EXPECT_EQ(read->attached[1].flags, 0xFFFFFFFFu);
  EXPECT_EQ(read->attached[2].attached_at, (Lgpos{0xFFFFFFFF, 0xFFFF, 0xFFFF}));
}

TEST_F(CheckpointTest, RoundTripsDefaultsAndNoDatabases) {
  const CheckpointData data;
  ASSERT_TRUE(write_checkpoint(fs_, path_, data).ok());
  Result<CheckpointData> read = read_checkpoint(fs_, path_);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read.value(), data);
  EXPECT_FALSE(read->clean_shutdown);
  EXPECT_TRUE(read->attached.empty());
}

TEST_F(CheckpointTest, RoundTripsTheLargestCheckpoint) {
  CheckpointData data = full_example();
  data.attached.clear();
  for (std::uint32_t i = 0; i < kCheckpointMaxAttachedDatabases; ++i) {
    // 960 bytes, multi-byte UTF-8 included ("é" is two bytes).
    std::string path = "/" + std::to_string(i) + "é";
    path += std::string(kCheckpointMaxPathBytes - path.size(), 'p');
    ASSERT_EQ(path.size(), kCheckpointMaxPathBytes);
    data.attached.push_back(AttachedDatabase{i, path, make_signature(i + 1, 7), Lgpos{i, 1, 2}, i});
  }
  ASSERT_TRUE(write_checkpoint(fs_, path_, data).ok());
  data.clean_shutdown = false;
  ASSERT_TRUE(write_checkpoint(fs_, path_, data).ok());  // into slot 1 as well
  Result<CheckpointData> read = read_checkpoint(fs_, path_);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read.value(), data);
}

TEST_F(CheckpointTest, EachRewriteIsReadBackAndCopiesAlternate) {
  std::mt19937_64 random(1);
  Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(fs_, path_);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file.value()->sequence(), 0u);
  for (std::uint32_t i = 1; i <= 10; ++i) {
    const CheckpointData data = random_checkpoint(random, i);
    ASSERT_TRUE(file.value()->write(data).ok());
    EXPECT_EQ(file.value()->sequence(), i);
    Result<CheckpointData> read = read_checkpoint(fs_, path_);
    ASSERT_TRUE(read.ok()) << read.status().to_string();
    EXPECT_EQ(read.value(), data) << "write " << i;
    // Copy #i sits in slot (i - 1) % 2 and says so.
    const std::vector<std::byte> bytes = read_bytes(fs_, path_);
    const std::size_t start = ((i - 1) % 2) * format::kSlotBytes;
    EXPECT_EQ(load_u32(bytes, start + format::kSequenceOffset), i);
    EXPECT_EQ(load_u32(bytes, start + format::kSlotOffset), (i - 1) % 2);
  }
}

TEST_F(CheckpointTest, ReopeningContinuesAfterTheNewestCopy) {
  std::mt19937_64 random(2);
  for (std::uint32_t i = 1; i <= 5; ++i) {
    ASSERT_TRUE(write_checkpoint(fs_, path_, random_checkpoint(random, i)).ok());
  }
  Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(fs_, path_);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value()->sequence(), 5u);
  const CheckpointData sixth = random_checkpoint(random, 6);
  ASSERT_TRUE(file.value()->write(sixth).ok());
  EXPECT_EQ(file.value()->sequence(), 6u);
  file.value().reset();
  EXPECT_EQ(read_checkpoint(fs_, path_).value(), sixth);
  // Copy #6 went to slot 1: copy #5, in slot 0, is intact.
  const std::vector<std::byte> bytes = read_bytes(fs_, path_);
  EXPECT_EQ(load_u32(bytes, format::kSequenceOffset), 5u);
  EXPECT_EQ(load_u32(bytes, format::kSlotBytes + format::kSequenceOffset), 6u);
}

TEST_F(CheckpointTest, RelativePathIsCreatedInTheWorkingDirectory) {
  io::MemoryFileSystem relative("/sys");
  ASSERT_TRUE(relative.create_directories("/sys").ok());
  const CheckpointData data = full_example();
  ASSERT_TRUE(write_checkpoint(relative, "edb.jcp", data).ok());
  EXPECT_EQ(read_checkpoint(relative, "/sys/edb.jcp").value(), data);
}

// --- Missing, limits -------------------------------------------------------------------------

TEST_F(CheckpointTest, MissingFileOrDirectoryIsCheckpointFileNotFound) {
  EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointFileNotFound);
  EXPECT_EQ(read_checkpoint(fs_, "/nowhere/edb.chk").status().error(),
            Error::kCheckpointFileNotFound);
}

TEST_F(CheckpointTest, LeavesNoTemporaryFileBehind) {
  ASSERT_TRUE(write_checkpoint(fs_, path_, full_example()).ok());
  Result<std::vector<std::string>> names = fs_.list_directory("/sys");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names.value(), std::vector<std::string>{"edb.chk"});
}

TEST_F(CheckpointTest, BrokenLimitsAreInvalidParameterAndWriteNothing) {
  const CheckpointData good = full_example();
  std::vector<CheckpointData> bad;
  {
    CheckpointData data = good;
    data.attached.clear();
    for (std::uint32_t i = 0; i <= kCheckpointMaxAttachedDatabases; ++i) {
      data.attached.push_back(AttachedDatabase{i, "/a", {}, {}, 0});
    }
    bad.push_back(data);  // 65 databases
  }
  {
    CheckpointData data = good;
    data.attached[0].path = std::string(kCheckpointMaxPathBytes + 1, 'p');
    bad.push_back(data);  // path too long
  }
  {
    CheckpointData data = good;
    data.attached[0].path.clear();
    bad.push_back(data);  // empty path
  }
  {
    CheckpointData data = good;
    data.attached[0].path = std::string("/a\0b", 4);
    bad.push_back(data);  // NUL inside
  }
  {
    CheckpointData data = good;
    data.attached[0].path = "/bad\xC3";
    bad.push_back(data);  // truncated UTF-8
  }
  {
    CheckpointData data = good;
    data.attached[0].path = "/over\xC0\xAFlong";
    bad.push_back(data);  // overlong UTF-8
  }
  {
    CheckpointData data = good;
    data.attached[1].dbid = data.attached[0].dbid;
    bad.push_back(data);  // repeated dbid
  }

  Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(fs_, path_);
  ASSERT_TRUE(file.ok());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(file.value()->write(bad[i]).error(), Error::kInvalidParameter) << "case " << i;
    EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointFileNotFound);
  }
  // Not sticky: the object still writes.
  ASSERT_TRUE(file.value()->write(good).ok());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(file.value()->write(bad[i]).error(), Error::kInvalidParameter) << "case " << i;
    EXPECT_EQ(write_checkpoint(fs_, path_ + "2", bad[i]).error(), Error::kInvalidParameter);
  }
  EXPECT_EQ(file.value()->sequence(), 1u);
  EXPECT_EQ(read_checkpoint(fs_, path_).value(), good);
}

// --- Corruption ------------------------------------------------------------------------------

TEST_F(CheckpointTest, AnyBitFlipInTheOnlyCopyIsCheckpointCorrupt) {
  ASSERT_TRUE(write_checkpoint(fs_, path_, full_example()).ok());
  const std::vector<std::byte> pristine = read_bytes(fs_, path_);
  ASSERT_LT(pristine.size(), format::kSlotBytes);  // one copy only
  std::mt19937 random(3);
  for (std::size_t offset = 0; offset < pristine.size(); ++offset) {
    std::vector<std::byte> bytes = pristine;
    bytes[offset] ^= static_cast<std::byte>(1u << (random() % 8));
    write_bytes(fs_, path_, bytes);
    EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointCorrupt)
        << "flipped a bit of byte " << offset;
  }
}

TEST_F(CheckpointTest, AnyBitFlipInTheNewestCopyFallsBackToTheOlder) {
  std::mt19937_64 random(4);
  const CheckpointData older = random_checkpoint(random, 1);
  const CheckpointData newer = full_example();
  ASSERT_TRUE(write_checkpoint(fs_, path_, older).ok());  // slot 0
  ASSERT_TRUE(write_checkpoint(fs_, path_, newer).ok());  // slot 1
  const std::vector<std::byte> pristine = read_bytes(fs_, path_);
  ASSERT_EQ(read_checkpoint(fs_, path_).value(), newer);
  for (std::size_t offset = format::kSlotBytes; offset < pristine.size(); ++offset) {
    std::vector<std::byte> bytes = pristine;
    bytes[offset] ^= static_cast<std::byte>(1u << (offset % 8));
    write_bytes(fs_, path_, bytes);
    Result<CheckpointData> read = read_checkpoint(fs_, path_);
    ASSERT_TRUE(read.ok()) << "byte " << offset << ": " << read.status().to_string();
    EXPECT_EQ(read.value(), older) << "flipped a bit of byte " << offset;
  }
}

TEST_F(CheckpointTest, TruncationFallsBackOrIsCorrupt) {
  std::mt19937_64 random(5);
  const CheckpointData older = full_example();
  const CheckpointData newer = random_checkpoint(random, 2);
  ASSERT_TRUE(write_checkpoint(fs_, path_, older).ok());
  ASSERT_TRUE(write_checkpoint(fs_, path_, newer).ok());
  const std::vector<std::byte> pristine = read_bytes(fs_, path_);
  const std::size_t older_used = load_u32(pristine, format::kUsedBytesOffset);
  for (std::size_t size = 0; size < pristine.size(); size += 1 + size / 64) {
    write_bytes(fs_, path_,
                std::vector<std::byte>(pristine.begin(),
                                       pristine.begin() + static_cast<std::ptrdiff_t>(size)));
    Result<CheckpointData> read = read_checkpoint(fs_, path_);
    if (size < older_used) {
      EXPECT_EQ(read.status().error(), Error::kCheckpointCorrupt) << "size " << size;
    } else {
      ASSERT_TRUE(read.ok()) << "size " << size;
      EXPECT_EQ(read.value(), older) << "size " << size;
    }
  }
}

TEST_F(CheckpointTest, GarbageIsCheckpointCorrupt) {
  std::mt19937 random(6);
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{191}, std::size_t{192}, std::size_t{4096},
        std::size_t{format::kSlotBytes}, std::size_t{2 * format::kSlotBytes + 7}}) {
    std::vector<std::byte> bytes(size);
    for (std::byte& b : bytes) b = static_cast<std::byte>(random());
    // Give it the right magic too, so more than the magic check is exercised.
    for (std::size_t i = 0; i < std::min(size, sizeof(format::kMagic)); ++i) {
      bytes[i] = static_cast<std::byte>(format::kMagic[i]);
    }
    write_bytes(fs_, path_, bytes);
    EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointCorrupt)
        << "size " << size;
  }
  write_bytes(fs_, path_, std::vector<std::byte>(2 * format::kSlotBytes));  // zeros
  EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointCorrupt);
}

// Copies whose checksum holds (the test re-seals them) but whose structure is wrong.
TEST_F(CheckpointTest, SealedButMalformedCopiesAreCheckpointCorrupt) {
  ASSERT_TRUE(write_checkpoint(fs_, path_, full_example()).ok());
  const std::vector<std::byte> pristine = read_bytes(fs_, path_);
  const std::size_t used = load_u32(pristine, format::kUsedBytesOffset);
  const std::size_t entry0 = format::kHeaderBytes;

  struct Case {
    const char* name;
    std::function<void(std::vector<std::byte>&)> change;
  };
  const std::vector<Case> cases = {
      {"version 2", [](auto& b) { store_u32(b, format::kVersionOffset, 2); }},
      {"slot 1 in slot 0", [](auto& b) { store_u32(b, format::kSlotOffset, 1); }},
      {"sequence 0", [](auto& b) { store_u32(b, format::kSequenceOffset, 0); }},
      {"unknown flag", [](auto& b) { store_u32(b, format::kFlagsOffset, 0x3); }},
      {"reserved byte", [](auto& b) { b[format::kReservedOffset + 5] = std::byte{1}; }},
      {"count beyond the limit",
       [](auto& b) {
         store_u32(b, format::kAttachedCountOffset, kCheckpointMaxAttachedDatabases + 1);
       }},
      {"count beyond the used bytes",
       [](auto& b) { store_u32(b, format::kAttachedCountOffset, 4); }},
      {"count short of the used bytes",
       [](auto& b) { store_u32(b, format::kAttachedCountOffset, 2); }},
      {"path beyond the used bytes",
       [=](auto& b) { store_u16(b, entry0 + format::kEntryPathLengthOffset, 0xFFFF); }},
      {"empty path", [=](auto& b) { store_u16(b, entry0 + format::kEntryPathLengthOffset, 0); }},
      {"entry reserved", [=](auto& b) { store_u16(b, entry0 + format::kEntryReservedOffset, 1); }},
      {"path with NUL", [=](auto& b) { b[entry0 + format::kEntryFixedBytes + 2] = std::byte{0}; }},
      {"path not UTF-8",
       [=](auto& b) { b[entry0 + format::kEntryFixedBytes + 2] = std::byte{0xFF}; }},
      {"repeated dbid",
       [=](auto& b) {
         const std::size_t entry1 = entry0 + format::kEntryFixedBytes + 15;  // "/data/first.edb"
         store_u32(b, entry1 + format::kEntryDbidOffset, 1);
       }},
      {"used bytes below the header",
       [](auto& b) { store_u32(b, format::kUsedBytesOffset, format::kHeaderBytes - 1); }},
      {"used bytes beyond the slot",
       [](auto& b) { store_u32(b, format::kUsedBytesOffset, format::kSlotBytes + 1); }},
  };
  for (const Case& c : cases) {
    std::vector<std::byte> bytes = pristine;
    c.change(bytes);
    if (load_u32(bytes, format::kUsedBytesOffset) <= bytes.size()) reseal(bytes, 0);
    write_bytes(fs_, path_, bytes);
    EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointCorrupt) << c.name;
  }
  // The reseal itself is sound: resealing the untouched copy reads back.
  std::vector<std::byte> bytes = pristine;
  reseal(bytes, 0);
  write_bytes(fs_, path_, bytes);
  EXPECT_TRUE(read_checkpoint(fs_, path_).ok());
  EXPECT_EQ(used, bytes.size());
}

TEST_F(CheckpointTest, ACopyInTheWrongSlotDoesNotVerify) {
  ASSERT_TRUE(write_checkpoint(fs_, path_, full_example()).ok());
  const std::vector<std::byte> slot0 = read_bytes(fs_, path_);
  // The same bytes placed in slot 1 (and slot 0 zeroed): the slot-seeded checksum fails there.
  std::vector<std::byte> bytes(format::kSlotBytes, std::byte{0});
  bytes.insert(bytes.end(), slot0.begin(), slot0.end());
  write_bytes(fs_, path_, bytes);
  EXPECT_EQ(read_checkpoint(fs_, path_).status().error(), Error::kCheckpointCorrupt);
}

TEST_F(CheckpointTest, AnUnreadableFileIsReplacedByTheNextWrite) {
  write_bytes(fs_, path_, std::vector<std::byte>(300, std::byte{0x5A}));
  Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(fs_, path_);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file.value()->sequence(), 0u);
  const CheckpointData data = full_example();
  ASSERT_TRUE(file.value()->write(data).ok());
  EXPECT_EQ(file.value()->sequence(), 1u);
  EXPECT_EQ(read_checkpoint(fs_, path_).value(), data);
  EXPECT_EQ(read_bytes(fs_, path_).size(),
            load_u32(read_bytes(fs_, path_), format::kUsedBytesOffset));
}

// --- The exact layout (golden) ---------------------------------------------------------------

// The worked example of docs/format/checkpoint.md, byte for byte.
TEST_F(CheckpointTest, GoldenBytesOfTheWorkedExample) {
  CheckpointData data;
  data.log_signature.random = 0x11223344;
  data.log_signature.created = LogTime{{30, 15, 12, 22, 11, 126, 0x01, 0x00}};
  data.checkpoint = Lgpos{5, 8, 0x10};
  data.last_generation_at_write = 6;
  data.full_backup = BackupMark{Lgpos{3, 8, 0}, LogTime{{0, 0, 9, 21, 11, 126, 0x01, 0x00}}, 1, 3};
  Signature database_signature;
  database_signature.random = 0xCAFEF00D;
  database_signature.created = LogTime{{0, 30, 8, 1, 10, 126, 0x01, 0x00}};
  data.attached.push_back(
      AttachedDatabase{1, "/data/app.edb", database_signature, Lgpos{1, 8, 0x2C}, 0});
  ASSERT_TRUE(write_checkpoint(fs_, path_, data).ok());
  const std::vector<std::byte> bytes = read_bytes(fs_, path_);
  std::string hex;
  for (std::byte b : bytes) {
    char text[3];
    std::snprintf(text, sizeof(text), "%02x", std::to_integer<unsigned>(b));
    hex += text;
  }
  // clang-format off
  const std::string expected =
      "4553454e5443484b" "46ed4813ecfe09ff"  // magic, checksum
      "01000000" "00000000" "0100000000000000"  // version, slot, sequence
      "fd000000" "00000000" "01000000" "06000000"  // used bytes, flags, count, last generation
      "44332211" "1e0f0c160b7e0100" "00000000000000000000000000000000"  // log signature
      "1000" "0800" "05000000"  // checkpoint (byte, sector, generation)
      "0000" "0800" "03000000" "000009150b7e0100" "01000000" "03000000"  // full backup
      "000000000000000000000000000000000000000000000000"  // incremental
      "000000000000000000000000000000000000000000000000"  // differential
      "000000000000000000000000000000000000000000000000"  // copy
      "000000000000000000000000"  // reserved
      "01000000" "00000000"  // entry: dbid, flags
      "0df0feca" "001e08010a7e0100" "00000000000000000000000000000000"  // database signature
      "2c00" "0800" "01000000" "0d00" "0000"  // attached at, path length, reserved
      "2f646174612f6170702e656462";  // "/data/app.edb"
  // clang-format on
  ASSERT_EQ(bytes.size(), 253u);
  EXPECT_EQ(hex, expected);
}

// --- Locking and failure ---------------------------------------------------------------------

TEST_F(CheckpointTest, ASecondWriterIsRefusedWhileTheFirstHoldsTheFile) {
  Result<std::unique_ptr<CheckpointFile>> first = CheckpointFile::open(fs_, path_);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first.value()->write(full_example()).ok());
  EXPECT_EQ(CheckpointFile::open(fs_, path_).status().error(), Error::kFileAccessDenied);
  EXPECT_EQ(write_checkpoint(fs_, path_, CheckpointData{}).error(), Error::kFileAccessDenied);
  EXPECT_TRUE(read_checkpoint(fs_, path_).ok());  // readers take no lock
  first.value().reset();
  EXPECT_TRUE(CheckpointFile::open(fs_, path_).ok());
}

TEST(CheckpointFailureTest, AFailedSyncIsStickyAndTheLastAcknowledgedCopySurvives) {
  auto crash = std::make_shared<io::CrashFileSystem>();
  ASSERT_TRUE(crash->create_directories("/sys").ok());
  io::FaultFileSystem faults(crash);
  std::mt19937_64 random(7);
  const CheckpointData first = random_checkpoint(random, 1);
  const CheckpointData second = random_checkpoint(random, 2);
  Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(faults, "/sys/edb.chk");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write(first).ok());
  faults.fail_at(io::FaultFileSystem::Operation::kSync, 1, io::FaultFileSystem::Fault::kIoError);
  EXPECT_EQ(file.value()->write(second).error(), Error::kDiskIO);
  const std::uint64_t writes = faults.count(io::FaultFileSystem::Operation::kWrite);
  // Sticky: refused without touching the file, although the fault is spent.
  EXPECT_EQ(file.value()->write(second).error(), Error::kDiskIO);
  EXPECT_EQ(faults.count(io::FaultFileSystem::Operation::kWrite), writes);
  EXPECT_EQ(file.value()->sequence(), 1u);
  crash->crash(io::CrashOptions{.seed = 1, .tear_last_sector = true});
  EXPECT_EQ(read_checkpoint(*crash, "/sys/edb.chk").value(), first);
}

TEST(CheckpointFailureTest, AnyFailingCallDuringCreationIsReportedAndSticky) {
  using Operation = io::FaultFileSystem::Operation;
  for (Operation operation : {Operation::kOpen, Operation::kWrite, Operation::kSync,
                              Operation::kRename, Operation::kSyncDirectory, Operation::kLock}) {
    auto memory = std::make_shared<io::MemoryFileSystem>();
    ASSERT_TRUE(memory->create_directories("/sys").ok());
    io::FaultFileSystem faults(memory);
    Result<std::unique_ptr<CheckpointFile>> file = CheckpointFile::open(faults, "/sys/edb.chk");
    ASSERT_TRUE(file.ok());
    faults.fail_at(operation, 1, io::FaultFileSystem::Fault::kNoSpace);
    EXPECT_EQ(file.value()->write(full_example()).error(), Error::kDiskFull)
        << io::operation_name(operation);
    EXPECT_EQ(file.value()->write(full_example()).error(), Error::kDiskFull)
        << io::operation_name(operation) << ": not sticky";
    EXPECT_EQ(faults.injected_count(), 1u) << io::operation_name(operation);
  }
}

// --- Crash atomicity -------------------------------------------------------------------------

// Forwards to a CrashFileSystem and calls `after_call` after every call, on the file system and
// on its files: the points where a power loss can strike.
class ObservedFileSystem : public io::FileSystem {
 public:
  ObservedFileSystem(std::shared_ptr<io::CrashFileSystem> base, std::function<void()> after_call)
      : base_(std::move(base)), after_call_(std::move(after_call)) {}

  template <typename T>
  T observed(T result) {
    after_call_();
    return result;
  }

  Result<std::string> current_directory() override { return observed(base_->current_directory()); }
  Result<bool> directory_exists(const std::string& path) override {
    return observed(base_->directory_exists(path));
  }
  Status create_directories(const std::string& path) override {
    return observed(base_->create_directories(path));
  }
  Result<std::unique_ptr<io::File>> open_file(const std::string& path,
                                              const io::OpenOptions& options) override;
  Result<bool> file_exists(const std::string& path) override {
    return observed(base_->file_exists(path));
  }
  Result<std::uint64_t> file_size(const std::string& path) override {
    return observed(base_->file_size(path));
  }
  Status remove_file(const std::string& path) override {
    return observed(base_->remove_file(path));
  }
  Status rename(const std::string& from, const std::string& to) override {
    return observed(base_->rename(from, to));
  }
  Status sync_directory(const std::string& path) override {
    return observed(base_->sync_directory(path));
  }
  Result<std::vector<std::string>> list_directory(const std::string& path) override {
    return observed(base_->list_directory(path));
  }
  Status remove_directory(const std::string& path) override {
    return observed(base_->remove_directory(path));
  }
  Result<bool> is_symbolic_link(const std::string& path) override {
    return observed(base_->is_symbolic_link(path));
  }

 private:
  std::shared_ptr<io::CrashFileSystem> base_;
  std::function<void()> after_call_;
};

class ObservedFile : public io::File {
 public:
  ObservedFile(std::unique_ptr<io::File> base, ObservedFileSystem& owner)
      : base_(std::move(base)), owner_(owner) {}
  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    return owner_.observed(base_->read_at(offset, buffer));
  }
  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    return owner_.observed(base_->write_at(offset, data));
  }
  Status sync() override { return owner_.observed(base_->sync()); }
  Result<std::uint64_t> size() override { return owner_.observed(base_->size()); }
  Status truncate(std::uint64_t size_bytes) override {
    return owner_.observed(base_->truncate(size_bytes));
  }
  Status lock(bool exclusive) override { return owner_.observed(base_->lock(exclusive)); }
  const std::string& path() const override { return base_->path(); }

 private:
  std::unique_ptr<io::File> base_;
  ObservedFileSystem& owner_;
};

Result<std::unique_ptr<io::File>> ObservedFileSystem::open_file(const std::string& path,
                                                                const io::OpenOptions& options) {
  Result<std::unique_ptr<io::File>> file = base_->open_file(path, options);
  after_call_();
  if (!file.ok()) return file.status();
  return std::unique_ptr<io::File>(std::make_unique<ObservedFile>(std::move(file.value()), *this));
}

std::uint64_t seed_count() {
  const char* long_tests = std::getenv("ESENT_LONG_TESTS");
  return (long_tests != nullptr && long_tests[0] == '1') ? 5000 : 300;
}

// For every seed: a sequence of writes (through one long-lived CheckpointFile, or reopening for
// each write); after every file-system call, the state a power loss would leave there (torn last
// sector, unsynced writes kept at random) must read as the last acknowledged version or the one
// being written — never a mixture, never an error once a first write was acknowledged. Some seeds
// also really crash in the middle of a write and carry on from what survived.
TEST(CheckpointCrashTest, EveryCrashPointLeavesTheOldOrTheNewVersion) {
  const std::string path = "/sys/edb.chk";
  std::uint64_t points_checked = 0;
  for (std::uint64_t seed = 1; seed <= seed_count(); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 random(seed);
    auto crash = std::make_shared<io::CrashFileSystem>();
    ASSERT_TRUE(crash->create_directories("/sys").ok());

    std::optional<CheckpointData> acknowledged;
    std::optional<CheckpointData> in_flight;
    bool crash_now = false;  // really crash at the next call
    bool crashed = false;
    std::string failure;

    auto options = [&random]() {
      static constexpr double kKeep[] = {0.0, 0.5, 1.0};
      return io::CrashOptions{.seed = random(),
                              .tear_last_sector = (random() % 4) != 0,
                              .keep_unsynced_probability = kKeep[random() % 3]};
    };
    auto check = [&](io::FileSystem& survivor, const char* when) {
      Result<CheckpointData> read = read_checkpoint(survivor, path);
      ++points_checked;
      if (!read.ok()) {
        if (acknowledged || read.status().error() != Error::kCheckpointFileNotFound) {
          failure = std::string(when) + ": " + read.status().to_string();
        }
      } else if (!(acknowledged && read.value() == *acknowledged) &&
                 !(in_flight && read.value() == *in_flight)) {
        failure = std::string(when) + ": read a version never written whole (generation tag " +
                  std::to_string(read->last_generation_at_write) + ")";
      }
      return read;
    };
    ObservedFileSystem observed(crash, [&]() {
      if (!failure.empty() || crashed) return;
      static_cast<void>(check(*crash->clone_crashed(options()), "simulated crash"));
      if (crash_now) {
        crash_now = false;
        crashed = true;
        crash->crash(options());
      }
    });

    const bool reopen_each_write = (seed % 2) == 0;
    std::unique_ptr<CheckpointFile> file;
    for (std::uint32_t version = 1; version <= 8 && failure.empty(); ++version) {
      if (file == nullptr || reopen_each_write) {
        file.reset();
        Result<std::unique_ptr<CheckpointFile>> opened = CheckpointFile::open(observed, path);
        ASSERT_TRUE(opened.ok()) << opened.status().to_string();
        file = std::move(opened.value());
      }
      in_flight = random_checkpoint(random, version);
      crash_now = (random() % 5) == 0;
      const Status status = file->write(*in_flight);
      crash_now = false;
      if (crashed) {
        // The write may have finished before the crash struck; success means durable.
        crashed = false;
        file.reset();
        Result<CheckpointData> survived = check(*crash, "real crash");
        if (status.ok()) {
          EXPECT_TRUE(survived.ok() && survived.value() == *in_flight) << "acknowledged but lost";
        }
        acknowledged =
            survived.ok() ? std::optional<CheckpointData>(survived.value()) : std::nullopt;
      } else {
        ASSERT_TRUE(status.ok()) << status.to_string();
        acknowledged = in_flight;
        Result<CheckpointData> now = read_checkpoint(*crash, path);
        ASSERT_TRUE(now.ok());
        EXPECT_EQ(now.value(), *acknowledged);
      }
      in_flight.reset();
    }
    ASSERT_TRUE(failure.empty()) << failure;
  }
  std::printf("checked %llu crash points over %llu seeds\n",
              static_cast<unsigned long long>(points_checked),
              static_cast<unsigned long long>(seed_count()));
}

}  // namespace
}  // namespace esent::log
