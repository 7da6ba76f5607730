// fuzz_replay_tests: every fuzz target of tests/fuzz (compiled in again under the name
// esent_fuzz_<target>, see fuzz_util.h) run over each file of its seed corpus
// (tests/fuzz/corpus/<target>/) and of its saved crash inputs (tests/fuzz/regressions/<target>/),
// in the ordinary build without libFuzzer: a crash found once stays a test. A target's
// invariant that fails aborts the process (the test fails); each test also requires the corpus
// folder to hold at least one file, so a lost corpus cannot pass unnoticed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define ESENT_FUZZ_DECLARE(name) \
  extern "C" int esent_fuzz_##name(const std::uint8_t* data, std::size_t size);
ESENT_FUZZ_DECLARE(database_header)
ESENT_FUZZ_DECLARE(page)
ESENT_FUZZ_DECLARE(log)
ESENT_FUZZ_DECLARE(checkpoint)
ESENT_FUZZ_DECLARE(manifest)
ESENT_FUZZ_DECLARE(backup_set)
ESENT_FUZZ_DECLARE(api)

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

// Runs `entry` over every file of corpus/<target> and regressions/<target>; the number of
// corpus files run.
std::size_t Replay(const std::string& target, Entry entry) {
  std::size_t corpus_files = 0;
  std::size_t regression_files = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    std::filesystem::path folder = std::filesystem::path(ESENT_FUZZ_DIR) / kind / target;
    if (!std::filesystem::is_directory(folder)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(folder)) {
      if (item.is_regular_file()) files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      SCOPED_TRACE(path.string());
      std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
      EXPECT_EQ(0, entry(data.data(), data.size())) << path;
      (std::string(kind) == "corpus" ? corpus_files : regression_files) += 1;
    }
  }
  std::printf("reliability: fuzz replay %s: %zu corpus files, %zu regression files, 0 crashes\n",
              target.c_str(), corpus_files, regression_files);
  return corpus_files;
}

#define ESENT_FUZZ_REPLAY_TEST(name) \
  TEST(FuzzReplay, name) { EXPECT_GT(Replay(#name, esent_fuzz_##name), 0u); }

ESENT_FUZZ_REPLAY_TEST(database_header)
ESENT_FUZZ_REPLAY_TEST(page)
ESENT_FUZZ_REPLAY_TEST(log)
ESENT_FUZZ_REPLAY_TEST(checkpoint)
ESENT_FUZZ_REPLAY_TEST(manifest)
ESENT_FUZZ_REPLAY_TEST(backup_set)
ESENT_FUZZ_REPLAY_TEST(api)

}  // namespace
