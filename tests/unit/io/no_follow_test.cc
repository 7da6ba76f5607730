// Symbolic links and modes at the seam: OpenOptions::no_follow, FileSystem::is_symbolic_link,
// create_fresh_file, and the modes the POSIX file system creates files and directories with.
// The POSIX cases make real links in a fresh folder under the temp directory; the memory file
// system has no links, so there the same calls must simply behave as on plain files.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <tuple>

#include "io/file_system.h"
#include "io/memory_file_system.h"
#include "io_test_util.h"
#include "../../scoped_umask.h"

namespace esent::io {
namespace {

class PosixNoFollowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "esent-nofollow-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    ASSERT_EQ(::mkdir((root_ + "/elsewhere").c_str(), 0700), 0);
    victim_ = root_ + "/elsewhere/victim";
    test_util::write_file(*file_system_, victim_, "secret");
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  void link(const std::string& target, const std::string& at) {
    ASSERT_EQ(::symlink(target.c_str(), at.c_str()), 0) << at;
  }

  bool is_link(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
  }

  std::shared_ptr<FileSystem> file_system_ = posix_file_system();
  std::string root_;
  std::string victim_;
};

TEST_F(PosixNoFollowTest, NoFollowRefusesALinkToAFileAndLeavesBothAlone) {
  link(victim_, root_ + "/link");
  OpenOptions writing{.write = true, .create = true, .truncate = true, .no_follow = true};
  EXPECT_EQ(file_system_->open_file(root_ + "/link", writing).status().error(), Error::kFileAccessDenied);
  OpenOptions reading{.no_follow = true};
  EXPECT_EQ(file_system_->open_file(root_ + "/link", reading).status().error(), Error::kFileAccessDenied);
  OpenOptions creating{.write = true, .create = true, .exclusive = true, .no_follow = true};
  EXPECT_EQ(file_system_->open_file(root_ + "/link", creating).status().error(), Error::kFileAlreadyExists);
  EXPECT_EQ(test_util::read_file(*file_system_, victim_), "secret");
  EXPECT_TRUE(is_link(root_ + "/link"));
}

TEST_F(PosixNoFollowTest, NoFollowRefusesADanglingLinkWithoutCreatingItsTarget) {
  link(root_ + "/elsewhere/planted", root_ + "/dangling");
  OpenOptions writing{.write = true, .create = true, .no_follow = true};
  EXPECT_EQ(file_system_->open_file(root_ + "/dangling", writing).status().error(), Error::kFileAccessDenied);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/elsewhere/planted"));
}

TEST_F(PosixNoFollowTest, WithoutNoFollowALinkIsFollowed) {
  link(victim_, root_ + "/link");
  EXPECT_EQ(test_util::read_file(*file_system_, root_ + "/link"), "secret");
}

TEST_F(PosixNoFollowTest, NoFollowOpensRegularFilesAndResolvesLinkedParents) {
  test_util::write_file(*file_system_, root_ + "/plain", "text");
  auto plain = file_system_->open_file(root_ + "/plain", OpenOptions{.no_follow = true});
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(test_util::read_all(**plain), "text");
  link(root_ + "/elsewhere", root_ + "/linked-folder");
  auto through = file_system_->open_file(root_ + "/linked-folder/victim", OpenOptions{.no_follow = true});
  ASSERT_TRUE(through.ok()) << through.status().to_string();
  EXPECT_EQ(test_util::read_all(**through), "secret");
}

TEST_F(PosixNoFollowTest, IsSymbolicLinkDoesNotFollow) {
  link(victim_, root_ + "/to-file");
  link(root_ + "/elsewhere", root_ + "/to-folder");
  link(root_ + "/nowhere", root_ + "/dangling");
  EXPECT_TRUE(file_system_->is_symbolic_link(root_ + "/to-file").value());
  EXPECT_TRUE(file_system_->is_symbolic_link(root_ + "/to-folder").value());
  EXPECT_TRUE(file_system_->is_symbolic_link(root_ + "/dangling").value());
  EXPECT_FALSE(file_system_->is_symbolic_link(victim_).value());
  EXPECT_FALSE(file_system_->is_symbolic_link(root_ + "/elsewhere").value());
  EXPECT_FALSE(file_system_->is_symbolic_link(root_ + "/missing").value());
  EXPECT_FALSE(file_system_->is_symbolic_link(root_ + "/missing/child").value());
  EXPECT_FALSE(file_system_->is_symbolic_link(victim_ + "/child").value());
}

TEST_F(PosixNoFollowTest, CreateFreshFileRefusesALinkAndReplacesAStaleFile) {
  link(victim_, root_ + "/staged");
  EXPECT_EQ(create_fresh_file(*file_system_, root_ + "/staged").status().error(), Error::kFileAccessDenied);
  EXPECT_TRUE(is_link(root_ + "/staged"));
  EXPECT_EQ(test_util::read_file(*file_system_, victim_), "secret");

  test_util::write_file(*file_system_, root_ + "/stale", "old bytes");
  auto fresh = create_fresh_file(*file_system_, root_ + "/stale");
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  EXPECT_EQ((*fresh)->size().value(), 0u);
  ASSERT_TRUE((*fresh)->write_at(0, test_util::as_bytes("new")).ok());
  EXPECT_EQ(test_util::read_file(*file_system_, root_ + "/stale"), "new");

  EXPECT_EQ(create_fresh_file(*file_system_, root_ + "/elsewhere").status().error(), Error::kFileAlreadyExists);
  EXPECT_TRUE(std::filesystem::is_directory(root_ + "/elsewhere"));
  EXPECT_EQ(test_util::read_file(*file_system_, victim_), "secret");
}

using esent_test::ScopedUmask;

mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

TEST_F(PosixNoFollowTest, CreatedFilesAre0640AndDirectories0750LessTheUmask) {
  for (const auto& [mask, file_mode, directory_mode] :
       {std::tuple<mode_t, mode_t, mode_t>{022, 0640, 0750}, {027, 0640, 0750}, {077, 0600, 0700},
        {0, 0640, 0750}}) {
    ScopedUmask scoped(mask);
    const std::string outer = root_ + "/mask" + std::to_string(mask);
    const std::string folder = outer + "/inner";
    ASSERT_TRUE(file_system_->create_directories(folder).ok());
    EXPECT_EQ(mode_of(folder), directory_mode) << "umask " << mask;
    EXPECT_EQ(mode_of(outer), directory_mode) << "umask " << mask;
    auto opened = test_util::open_for_write(*file_system_, folder + "/file");
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(mode_of(folder + "/file"), file_mode) << "umask " << mask;
    auto fresh = create_fresh_file(*file_system_, folder + "/fresh");
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(mode_of(folder + "/fresh"), file_mode) << "umask " << mask;
  }
}

TEST(MemoryNoFollowTest, NoLinksSoTheCallsActOnPlainFiles) {
  MemoryFileSystem file_system;
  ASSERT_TRUE(file_system.create_directories("/d").ok());
  test_util::write_file(file_system, "/d/file", "text");
  EXPECT_FALSE(file_system.is_symbolic_link("/d/file").value());
  EXPECT_FALSE(file_system.is_symbolic_link("/d").value());
  EXPECT_FALSE(file_system.is_symbolic_link("/d/missing").value());
  EXPECT_FALSE(file_system.is_symbolic_link("/missing/child").value());
  auto opened = file_system.open_file("/d/file", OpenOptions{.no_follow = true});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(test_util::read_all(**opened), "text");
  OpenOptions creating{.write = true, .create = true, .exclusive = true, .no_follow = true};
  EXPECT_EQ(file_system.open_file("/d/file", creating).status().error(), Error::kFileAlreadyExists);
  EXPECT_TRUE(file_system.open_file("/d/new", creating).ok());
}

TEST(MemoryNoFollowTest, CreateFreshFileReplacesAStaleFileAndLeavesADirectory) {
  MemoryFileSystem file_system;
  ASSERT_TRUE(file_system.create_directories("/d/sub").ok());
  test_util::write_file(file_system, "/d/stale", "old bytes");
  auto fresh = create_fresh_file(file_system, "/d/stale");
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  EXPECT_EQ((*fresh)->size().value(), 0u);
  EXPECT_EQ(create_fresh_file(file_system, "/d/sub").status().error(), Error::kFileAlreadyExists);
  EXPECT_TRUE(file_system.directory_exists("/d/sub").value());
  auto made = create_fresh_file(file_system, "/d/made");
  ASSERT_TRUE(made.ok());
  EXPECT_TRUE(file_system.file_exists("/d/made").value());
}

}  // namespace
}  // namespace esent::io
