// Fuzz target: backup::decode_manifest (backup/manifest.h) on any text. Invariants: no crash;
// every name of a decoded manifest is a plain file name (is_manifest_file_name); a decoded
// manifest encodes to a text that decodes to the same manifest.
#include <cstdint>
#include <string>

#include "backup/manifest.h"
#include "fuzz_util.h"

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  using namespace esent;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto manifest = backup::decode_manifest(text);
  if (!manifest.ok()) return 0;
  for (const auto& [name, entry] : manifest.value()) {
    if (!backup::is_manifest_file_name(name)) {
      esent_fuzz::fail("manifest", "decoded a name that is not a plain file name");
    }
  }
  auto again = backup::decode_manifest(backup::encode_manifest(manifest.value()));
  if (!again.ok()) esent_fuzz::fail("manifest", "the encoding of a decoded manifest does not decode");
  if (again.value().size() != manifest.value().size()) {
    esent_fuzz::fail("manifest", "re-encoding changed the number of entries");
  }
  for (const auto& [name, entry] : manifest.value()) {
    auto found = again.value().find(name);
    if (found == again.value().end() || found->second.size_bytes != entry.size_bytes ||
        found->second.checksum != entry.checksum) {
      esent_fuzz::fail("manifest", "re-encoding changed an entry");
    }
  }
  return 0;
}
