// Fuzz target: the restore's reader of a backup set (engine::verify_backup_directory: manifest,
// logs, images, the images against the logs) and backup::decode_trailer, over a folder /bk built
// from the input.
//
// Input: u8 mode, then a file container (fuzz_util.h) whose files are written under /bk/ (a set
// written by JetBackupInstance keeps its files in /bk, /bk/new or /bk/old).
//   mode bit 0: reseal every *.log file (fuzz_util.h reseal_log);
//   mode bit 1: reseal the pages of every other file but the manifest (reseal_pages), so image
//               pages and trailers verify;
//   mode bit 2: rewrite each esent-backup.manifest to list the other files of its folder with
//               their true sizes and checksums, so the checks behind the manifest are reached.
// Invariants: no crash or sanitizer report; progress never reports more files done than there
// are.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "backup/trailer.h"
#include "engine/restore.h"
#include "fuzz_util.h"

namespace {

using namespace esent;

std::string folder_of(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? std::string() : name.substr(0, slash + 1);
}

void rewrite_manifests(io::FileSystem& file_system, const std::vector<esent_fuzz::FileImage>& files) {
  for (const auto& manifest_file : files) {
    std::string folder = folder_of(manifest_file.name);
    if (manifest_file.name != folder + backup::kManifestName) continue;
    backup::Manifest manifest;
    for (const auto& file : files) {
      if (file.name == manifest_file.name || folder_of(file.name) != folder) continue;
      std::string base = file.name.substr(folder.size());
      auto entry = backup::describe_file(file_system, "/bk/" + file.name);
      if (entry.ok() && backup::is_manifest_file_name(base)) manifest[base] = entry.value();
    }
    std::string text = backup::encode_manifest(manifest);
    esent_fuzz::FileImage rewritten{manifest_file.name, {}};
    for (char c : text) rewritten.bytes.push_back(static_cast<std::byte>(c));
    (void)esent_fuzz::write_files(file_system, "/bk/", {rewritten});
  }
}

}  // namespace

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  esent_fuzz::Input input(data, size);
  std::uint8_t mode = input.u8();
  auto files = esent_fuzz::decode_files(input);
  for (auto& file : files) {
    bool is_log = esent_fuzz::ends_with(file.name, ".log");
    bool is_manifest = esent_fuzz::ends_with(file.name, backup::kManifestName);
    if (is_log && (mode & 1) != 0) esent_fuzz::reseal_log(file.bytes);
    if (!is_log && !is_manifest && (mode & 2) != 0) esent_fuzz::reseal_pages(file.bytes);
    if (!is_log && !is_manifest) {
      std::uint32_t page_size = page::claimed_page_size(file.bytes);
      if (page::valid_page_size(page_size) && file.bytes.size() >= 2u * page_size) {
        std::size_t pages = file.bytes.size() / page_size;
        auto last = std::span<const std::byte>(file.bytes).subspan((pages - 1) * page_size, page_size);
        auto pgno = static_cast<page::Pgno>(pages - 1);
        (void)backup::decode_trailer(last, pgno);
      }
    }
  }
  io::MemoryFileSystem file_system;
  if (!file_system.create_directories("/bk").ok()) return 0;
  if (!esent_fuzz::write_files(file_system, "/bk/", files)) return 0;
  if ((mode & 4) != 0) rewrite_manifests(file_system, files);
  log::LogNaming naming;
  std::uint32_t progress_calls = 0;
  auto progress = [&progress_calls](std::uint32_t done, std::uint32_t total) {
    ++progress_calls;
    if (done > total) esent_fuzz::fail("backup_set", "progress reported more done than total");
    return Status::success();
  };
  Status verified = engine::verify_backup_directory(file_system, "/bk", naming, progress);
  esent_fuzz::trace("backup_set", "verify_backup_directory: " + verified.to_string() + ", " +
                                      std::to_string(progress_calls) + " progress calls");
  (void)engine::verify_backup_directory(file_system, "/bk", naming, {});
  return 0;
}
