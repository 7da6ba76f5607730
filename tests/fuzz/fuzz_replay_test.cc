// fuzz_replay_tests: every fuzz target of tests/fuzz (compiled in again under the name
// esent_fuzz_<target>, see fuzz_util.h) run over each file of its seed corpus
// (tests/fuzz/corpus/<target>/) and of its saved crash inputs (tests/fuzz/regressions/<target>/),
// in the ordinary build without libFuzzer: a crash found once stays a test. A target's
// invariant that fails aborts the process (the test fails); each test also requires the corpus
// folder to hold at least one file, so a lost corpus cannot pass unnoticed.
//
// FuzzMutate.<target>: a short random-mutation run over the same corpus in every build (so the
// CI tier fuzzes under ASan+UBSan without the clang tree): bit flips, byte overwrites, inserted,
// deleted and duplicated chunks, truncation and splices of two corpus files, chosen by a seeded
// generator. It is not coverage-guided (libFuzzer is: scripts/fuzz.sh); it runs for
// ESENT_FUZZ_MUTATE_SECONDS (default 3, 30 under ESENT_LONG_TESTS=1) per target, prints its seed
// (ESENT_FUZZ_MUTATE_SEED=n replays it: the inputs depend only on the seed, so the same seed
// with at least the same budget meets the same input again) and its executions. An input whose
// target returns nonzero is saved as fuzz-mutate-<target>-<seed>-<n> in the working folder; one
// that aborts (a failed invariant, a sanitizer report) is found again by replaying the seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <cstdlib>
#include <iterator>
#include <random>
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

// The regular files of `folder` in name order (none when it does not exist).
std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(folder)) return files;
  for (const auto& item : std::filesystem::directory_iterator(folder)) {
    if (item.is_regular_file()) files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

// Runs `entry` over every file of corpus/<target> and regressions/<target>; the number of
// corpus files run.
std::size_t Replay(const std::string& target, Entry entry) {
  std::size_t corpus_files = 0;
  std::size_t regression_files = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    for (const auto& path : FilesIn(std::filesystem::path(ESENT_FUZZ_DIR) / kind / target)) {
      SCOPED_TRACE(path.string());
      std::vector<std::uint8_t> data = ReadBytes(path);
      EXPECT_EQ(0, entry(data.data(), data.size())) << path;
      (std::string(kind) == "corpus" ? corpus_files : regression_files) += 1;
    }
  }
  std::printf("reliability: fuzz replay %s: %zu corpus files, %zu regression files, 0 crashes\n",
              target.c_str(), corpus_files, regression_files);
  return corpus_files;
}

std::vector<std::vector<std::uint8_t>> CorpusFiles(const std::string& target) {
  std::vector<std::vector<std::uint8_t>> inputs;
  for (const auto& path : FilesIn(std::filesystem::path(ESENT_FUZZ_DIR) / "corpus" / target)) {
    inputs.push_back(ReadBytes(path));
  }
  return inputs;
}

// One to four random edits of `input` (`other`: another corpus file to splice from).
void Mutate(std::vector<std::uint8_t>& input, const std::vector<std::uint8_t>& other, std::mt19937_64& rng) {
  auto below = [&rng](std::size_t n) { return n == 0 ? std::size_t{0} : static_cast<std::size_t>(rng() % n); };
  const std::size_t edits = 1 + below(4);
  for (std::size_t e = 0; e < edits; ++e) {
    switch (below(7)) {
      case 0:  // flip one bit
        if (!input.empty()) input[below(input.size())] ^= static_cast<std::uint8_t>(1u << below(8));
        break;
      case 1:  // overwrite up to 8 bytes with interesting or random values
        for (std::size_t n = 1 + below(8); n > 0 && !input.empty(); --n) {
          static constexpr std::uint8_t kValues[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x40};
          input[below(input.size())] = below(2) == 0 ? kValues[below(sizeof kValues)] : static_cast<std::uint8_t>(rng());
        }
        break;
      case 2: {  // insert random bytes
        const std::size_t at = below(input.size() + 1);
        std::vector<std::uint8_t> bytes(1 + below(32));
        for (auto& byte : bytes) byte = static_cast<std::uint8_t>(rng());
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin(), bytes.end());
        break;
      }
      case 3: {  // delete a chunk
        if (input.empty()) break;
        const std::size_t at = below(input.size());
        const std::size_t n = std::min(input.size() - at, 1 + below(64));
        input.erase(input.begin() + static_cast<std::ptrdiff_t>(at), input.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 4: {  // duplicate a chunk
        if (input.empty()) break;
        const std::size_t at = below(input.size());
        const std::size_t n = std::min(input.size() - at, 1 + below(64));
        std::vector<std::uint8_t> chunk(input.begin() + static_cast<std::ptrdiff_t>(at),
                                        input.begin() + static_cast<std::ptrdiff_t>(at + n));
        const std::size_t to = below(input.size() + 1);
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(to), chunk.begin(), chunk.end());
        break;
      }
      case 5:  // truncate
        input.resize(below(input.size() + 1));
        break;
      default: {  // splice: the head of this input, the tail of another
        if (other.empty()) break;
        const std::size_t keep = below(input.size() + 1);
        const std::size_t from = below(other.size());
        input.resize(keep);
        input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
    }
  }
}

// Mutates corpus files of `target` for the time budget; the number of inputs run.
std::uint64_t MutateRun(const std::string& target, Entry entry) {
  const std::vector<std::vector<std::uint8_t>> corpus = CorpusFiles(target);
  if (corpus.empty()) return 0;
  const char* seed_text = std::getenv("ESENT_FUZZ_MUTATE_SEED");
  const std::uint64_t seed = seed_text != nullptr ? std::strtoull(seed_text, nullptr, 10) : std::random_device{}();
  const char* seconds_text = std::getenv("ESENT_FUZZ_MUTATE_SECONDS");
  const double seconds = seconds_text != nullptr ? std::strtod(seconds_text, nullptr)
                         : std::getenv("ESENT_LONG_TESTS") != nullptr ? 30.0
                                                                     : 3.0;
  std::printf("FuzzMutate %s: seed %llu (replay with ESENT_FUZZ_MUTATE_SEED=%llu)\n", target.c_str(),
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::mt19937_64 rng(seed);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t runs = 0;
  int failures = 0;
  while (std::chrono::steady_clock::now() < deadline && failures < 3) {
    std::vector<std::uint8_t> input = corpus[rng() % corpus.size()];
    Mutate(input, corpus[rng() % corpus.size()], rng);
    ++runs;
    if (entry(input.data(), input.size()) != 0) {
      ++failures;
      const std::string name = "fuzz-mutate-" + target + "-" + std::to_string(seed) + "-" + std::to_string(runs);
      std::ofstream(name, std::ios::binary).write(reinterpret_cast<const char*>(input.data()),
                                                  static_cast<std::streamsize>(input.size()));
      ADD_FAILURE() << "input " << runs << " failed; saved as " << name;
    }
  }
  std::printf("reliability: fuzz mutate %s: %llu executions, %.0f s, %d failures\n", target.c_str(),
              static_cast<unsigned long long>(runs), seconds, failures);
  return runs;
}

#define ESENT_FUZZ_REPLAY_TEST(name) \
  TEST(FuzzMutate, name) { EXPECT_GT(MutateRun(#name, esent_fuzz_##name), 0u); } \
  TEST(FuzzReplay, name) { EXPECT_GT(Replay(#name, esent_fuzz_##name), 0u); }

ESENT_FUZZ_REPLAY_TEST(database_header)
ESENT_FUZZ_REPLAY_TEST(page)
ESENT_FUZZ_REPLAY_TEST(log)
ESENT_FUZZ_REPLAY_TEST(checkpoint)
ESENT_FUZZ_REPLAY_TEST(manifest)
ESENT_FUZZ_REPLAY_TEST(backup_set)
ESENT_FUZZ_REPLAY_TEST(api)

}  // namespace
