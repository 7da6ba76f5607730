// Seeded random sequences of file-system calls run against POSIX (in a temporary directory), the
// in-memory and the crashable file system side by side: every call must give the same error and
// the same value on all three.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include "io/crash_file_system.h"
#include "io/memory_file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

// One call's observable outcome, as text.
template <typename T>
std::string describe(const Result<T>& result) {
  if (!result.ok()) return std::string("error ") + error_name(result.status().error());
  std::ostringstream text;
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    for (const std::string& name : result.value()) text << name << ',';
  } else {
    text << result.value();
  }
  return text.str();
}

std::string describe(const Status& status) { return error_name(status.error()); }

class DifferentialTest : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "esent-io-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    posix_root_ = pattern;
    systems_ = {{posix_file_system(), posix_root_},
                {std::make_shared<MemoryFileSystem>(), "/root"},
                {std::make_shared<CrashFileSystem>(), "/root"}};
    ASSERT_TRUE(systems_[1].first->create_directories("/root").ok());
    ASSERT_TRUE(systems_[2].first->create_directories("/root").ok());
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(posix_root_, ignored);
  }

  // Runs `call(file_system, root)` on each and expects the same description.
  template <typename Call>
  void same(const std::string& what, Call call) {
    std::string expected = call(*systems_[0].first, systems_[0].second);
    for (std::size_t index = 1; index < systems_.size(); ++index) {
      ASSERT_EQ(call(*systems_[index].first, systems_[index].second), expected)
          << what << " (system " << index << ", seed " << GetParam() << ")";
    }
  }

  std::string posix_root_;
  std::vector<std::pair<std::shared_ptr<FileSystem>, std::string>> systems_;
};

TEST_P(DifferentialTest, RandomCallsAgree) {
  const std::uint64_t seed = GetParam();
  std::cout << "seed " << seed << '\n';
  std::mt19937_64 random(seed);
  const std::vector<std::string> names = {"a", "b", "d", "e", "d/x", "d/y", "e/z", "d/x/w"};
  auto pick = [&] { return names[random() % names.size()]; };
  const int kSteps = std::getenv("ESENT_LONG_TESTS") ? 5000 : 400;
  for (int step = 0; step < kSteps && !HasFatalFailure(); ++step) {
    std::string name = pick();
    std::string other = pick();
    std::string what = "step " + std::to_string(step) + " on " + name;
    switch (random() % 10) {
      case 0:
        same(what + " create_directories", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.create_directories(root + "/" + name));
        });
        break;
      case 1:
      case 2: {
        OpenOptions options{.write = true, .create = random() % 4 != 0,
                            .exclusive = random() % 4 == 0, .truncate = random() % 4 == 0};
        std::uint64_t offset = random() % 3000;
        std::string data(random() % 700, static_cast<char>('a' + random() % 26));
        std::uint64_t truncate_to = random() % 4 == 0 ? random() % 3000 : UINT64_MAX;
        same(what + " open/write", [&](FileSystem& fs, const std::string& root) {
          auto file = fs.open_file(root + "/" + name, options);
          if (!file.ok()) return describe(file);
          std::string outcome = describe(file.value()->write_at(offset, test_util::as_bytes(data)));
          if (truncate_to != UINT64_MAX) outcome += describe(file.value()->truncate(truncate_to));
          return outcome + describe(file.value()->size());
        });
        break;
      }
      case 3:
        same(what + " read", [&](FileSystem& fs, const std::string& root) {
          return test_util::read_file(fs, root + "/" + name);
        });
        break;
      case 4:
        same(what + " remove_file", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.remove_file(root + "/" + name));
        });
        break;
      case 5:
        same(what + " rename to " + other, [&](FileSystem& fs, const std::string& root) {
          return describe(fs.rename(root + "/" + name, root + "/" + other));
        });
        break;
      case 6:
        same(what + " remove_directory", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.remove_directory(root + "/" + name));
        });
        break;
      case 7:
        same(what + " list_directory", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.list_directory(root + "/" + name));
        });
        break;
      case 8:
        same(what + " file_size", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.file_size(root + "/" + name));
        });
        break;
      default:
        same(what + " exists", [&](FileSystem& fs, const std::string& root) {
          return describe(fs.file_exists(root + "/" + name)) +
                 describe(fs.directory_exists(root + "/" + name));
        });
        break;
    }
  }
  same("final listing", [&](FileSystem& fs, const std::string& root) {
    return describe(fs.list_directory(root));
  });
}

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest, ::testing::Range<std::uint64_t>(1, 9));

}  // namespace
}  // namespace esent::io
