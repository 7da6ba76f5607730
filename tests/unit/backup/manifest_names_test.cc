// Manifest file names (issue 10, item 5): a manifest names plain files of its own folder only.
// decode_manifest refuses any other name with kInvalidBackup, the error of every other damage;
// check_manifest refuses one in a Manifest built by hand without touching the file system. And
// write_manifest replaces a stale temporary of its own.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"

namespace esent::backup {
namespace {

const char kValidLine[] = "12 00000000000000ab ";

std::string manifest_with(const std::string& name) {
  return std::string("esent-backup-manifest 1\n") + kValidLine + "db.edb\n" + kValidLine + name + "\n";
}

TEST(ManifestNames, PlainFileNamesDecode) {
  for (const std::string name : {"db.edb", "edb00001.log", "a b.edb", "..x", "x..", ".hidden"}) {
    Result<Manifest> manifest = decode_manifest(manifest_with(name));
    ASSERT_TRUE(manifest.ok()) << name << ": " << manifest.status().to_string();
    EXPECT_EQ(1u, manifest->count(name)) << name;
    EXPECT_TRUE(is_manifest_file_name(name)) << name;
  }
}

TEST(ManifestNames, NamesReachingOutsideTheFolderAreInvalidBackup) {
  const std::vector<std::string> names = {"../x", "..", ".", "a/b", "/etc/passwd", "x/", "../../x", std::string("x\0y", 3)};
  for (const std::string& name : names) {
    EXPECT_EQ(Error::kInvalidBackup, decode_manifest(manifest_with(name)).status().error()) << name;
    EXPECT_FALSE(is_manifest_file_name(name)) << name;
  }
  EXPECT_FALSE(is_manifest_file_name(""));
}

TEST(ManifestNames, CheckManifestRefusesABadNameWithoutOpeningAnything) {
  auto base = std::make_shared<io::MemoryFileSystem>();
  ASSERT_TRUE(base->create_directories("/set").ok());
  io::FaultFileSystem counted(base);
  for (const std::string name : {"../x", "sub/x", "..", ""}) {
    Manifest manifest;
    manifest[name] = ManifestEntry{0, 0};
    Status checked = check_manifest(counted, "/set", manifest, [](const std::string&) { return false; });
    EXPECT_EQ(Error::kInvalidBackup, checked.error()) << "'" << name << "'";
  }
  EXPECT_EQ(0u, counted.count(io::FaultFileSystem::Operation::kOpen));
  EXPECT_EQ(0u, counted.count(io::FaultFileSystem::Operation::kFileExists));
}

TEST(ManifestNames, WriteManifestReplacesAStaleTemporary) {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  ASSERT_TRUE(file_system->create_directories("/set").ok());
  {
    io::OpenOptions options;
    options.write = options.create = true;
    auto stale = file_system->open_file(std::string("/set/") + kManifestName + ".tmp", options);
    ASSERT_TRUE(stale.ok());
    const std::string junk(4096, 'j');
    ASSERT_TRUE((*stale)->write_at(0, std::as_bytes(std::span(junk))).ok());
  }
  Manifest manifest;
  manifest["db.edb"] = ManifestEntry{12, 0xab};
  ASSERT_TRUE(write_manifest(*file_system, "/set", manifest).ok());
  Result<Manifest> read = read_manifest(*file_system, "/set");
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(1u, read->size());
  EXPECT_EQ(12u, read->at("db.edb").size_bytes);
  EXPECT_EQ(0xabu, read->at("db.edb").checksum);
  EXPECT_FALSE(file_system->file_exists(std::string("/set/") + kManifestName + ".tmp").value());
}

}  // namespace
}  // namespace esent::backup
