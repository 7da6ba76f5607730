// The installed package, as a user meets it: `cmake --install` of this build into a temporary
// prefix, the installed files checked (the library's SONAME and symlink chain, the headers,
// esent.pc, the CMake package files), then examples/ built against that prefix both ways — with
// pkg-config and cc, and as a CMake project with find_package(esent) — and run: a streaming
// backup restored, a JetBackupInstance backup restored, the rows counted.
//
// Every test installs into a prefix of its own under a temporary folder of its own (removed at
// the end), so the tests may run in parallel. The paths of the build, the sources and the tools
// come from compile definitions (tests/package/CMakeLists.txt).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;  // the command's exit status; -1 if it did not exit normally
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh, stderr joined to stdout.
CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, got);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// A path or word quoted for /bin/sh.
std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class PackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "esent-package-XXXXXX").string();
    ASSERT_NE(nullptr, mkdtemp(pattern.data())) << "mkdtemp " << pattern;
    root_ = pattern;
    prefix_ = root_ / "prefix";
    libdir_ = prefix_ / ESENT_INSTALL_LIBDIR;
    const CommandResult install = RunCommand(Quote(ESENT_CMAKE_COMMAND) + " --install " + Quote(ESENT_BUILD_DIR) +
                                      " --prefix " + Quote(prefix_.string()));
    ASSERT_EQ(0, install.exit_code) << install.output;
  }

  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  // The environment prefix that lets pkg-config find the installed esent.pc (and nothing else).
  std::string PkgConfigEnvironment() const {
    return "PKG_CONFIG_PATH=" + Quote((libdir_ / "pkgconfig").string()) + " ";
  }

  // Runs the examples found in `bin` in sequence in a working folder of their own, with
  // `environment` before each command: streaming backup -> restore (5 rows), JetBackupInstance
  // -> restore (500 rows). Each must exit 0 and print what it did.
  void RunExamples(const fs::path& bin, const std::string& environment) {
    const fs::path work = root_ / ("work-" + bin.filename().string());
    fs::create_directories(work);
    const auto run = [&](const std::string& program, const std::string& arguments) {
      return RunCommand("cd " + Quote(work.string()) + " && " + environment + Quote((bin / program).string()) + " " +
                 arguments);
    };
    const CommandResult streaming = run("streaming_backup", "live backup");
    ASSERT_EQ(0, streaming.exit_code) << streaming.output;
    EXPECT_TRUE(Contains(streaming.output, "copied example.edb")) << streaming.output;
    EXPECT_TRUE(Contains(streaming.output, "backup complete in backup")) << streaming.output;
    EXPECT_TRUE(fs::exists(work / "backup" / "example.edb"));

    const CommandResult restored = run("restore", "backup restored");
    ASSERT_EQ(0, restored.exit_code) << restored.output;
    EXPECT_TRUE(Contains(restored.output, "restore: complete")) << restored.output;
    EXPECT_TRUE(Contains(restored.output, "restored 5 rows")) << restored.output;
    EXPECT_TRUE(Contains(restored.output, "1  apple")) << restored.output;
    EXPECT_TRUE(Contains(restored.output, "5  elderberry")) << restored.output;

    const CommandResult backup = run("backup_instance", "live2 backup2");
    ASSERT_EQ(0, backup.exit_code) << backup.output;
    EXPECT_TRUE(Contains(backup.output, "backup: started")) << backup.output;
    EXPECT_TRUE(Contains(backup.output, "backup: 100%")) << backup.output;
    EXPECT_TRUE(Contains(backup.output, "backup: complete")) << backup.output;
    EXPECT_TRUE(fs::exists(work / "backup2" / "esent-backup.manifest"));

    const CommandResult restored2 = run("restore", "backup2 restored2");
    ASSERT_EQ(0, restored2.exit_code) << restored2.output;
    EXPECT_TRUE(Contains(restored2.output, "restored 500 rows")) << restored2.output;
    EXPECT_TRUE(Contains(restored2.output, "500  fruit number 500")) << restored2.output;
  }

  // The dynamic loader resolves libesent.so.<soversion> of `program` to the installed library.
  void ExpectLinkedToInstalledLibrary(const fs::path& program, const std::string& environment) {
    const CommandResult ldd = RunCommand(environment + "ldd " + Quote(program.string()));
    ASSERT_EQ(0, ldd.exit_code) << ldd.output;
    EXPECT_TRUE(Contains(ldd.output, "libesent.so." ESENT_SOVERSION " => " + (libdir_ / "libesent.so.").string()))
        << ldd.output;
  }

  fs::path root_;
  fs::path prefix_;
  fs::path libdir_;
};

TEST_F(PackageTest, InstallsTheLibraryWithItsSonameAndSymlinkChain) {
  const std::string real_name = "libesent.so." ESENT_VERSION;
  const std::string soname = "libesent.so." ESENT_SOVERSION;
  ASSERT_TRUE(fs::is_regular_file(fs::symlink_status(libdir_ / real_name))) << libdir_ / real_name;
  ASSERT_TRUE(fs::is_symlink(libdir_ / soname));
  EXPECT_EQ(real_name, fs::read_symlink(libdir_ / soname).string());
  ASSERT_TRUE(fs::is_symlink(libdir_ / "libesent.so"));
  EXPECT_EQ(soname, fs::read_symlink(libdir_ / "libesent.so").string());

  const CommandResult dynamic = RunCommand(Quote(ESENT_READELF) + " -d " + Quote((libdir_ / real_name).string()));
  ASSERT_EQ(0, dynamic.exit_code) << dynamic.output;
  EXPECT_TRUE(Contains(dynamic.output, "Library soname: [" + soname + "]")) << dynamic.output;
}

TEST_F(PackageTest, InstallsBothPublicHeadersUnchanged) {
  const fs::path includedir = prefix_ / ESENT_INSTALL_INCLUDEDIR;
  for (const char* header : {"esent.h", "esent_ext.h"}) {
    ASSERT_TRUE(fs::is_regular_file(includedir / header)) << header;
    EXPECT_EQ(ReadFile(fs::path(ESENT_SOURCE_DIR) / "include" / header), ReadFile(includedir / header)) << header;
  }
}

TEST_F(PackageTest, PkgConfigFileNamesTheInstallPrefix) {
  const std::string pc = ReadFile(libdir_ / "pkgconfig" / "esent.pc");
  EXPECT_TRUE(Contains(pc, "prefix=" + prefix_.string() + "\n")) << pc;
  EXPECT_TRUE(Contains(pc, "libdir=${prefix}/" ESENT_INSTALL_LIBDIR "\n")) << pc;
  EXPECT_TRUE(Contains(pc, "includedir=${prefix}/" ESENT_INSTALL_INCLUDEDIR "\n")) << pc;
  EXPECT_TRUE(Contains(pc, "Version: " ESENT_VERSION "\n")) << pc;
  EXPECT_TRUE(Contains(pc, "Libs: -L${libdir} -lesent\n")) << pc;
  EXPECT_TRUE(Contains(pc, "Cflags: -I${includedir}\n")) << pc;

  const CommandResult flags = RunCommand(PkgConfigEnvironment() + Quote(ESENT_PKG_CONFIG) + " --cflags --libs esent");
  ASSERT_EQ(0, flags.exit_code) << flags.output;
  EXPECT_TRUE(Contains(flags.output, "-I" + (prefix_ / ESENT_INSTALL_INCLUDEDIR).string())) << flags.output;
  EXPECT_TRUE(Contains(flags.output, "-L" + libdir_.string())) << flags.output;
  EXPECT_TRUE(Contains(flags.output, "-lesent")) << flags.output;
  const CommandResult version = RunCommand(PkgConfigEnvironment() + Quote(ESENT_PKG_CONFIG) + " --modversion esent");
  EXPECT_EQ(ESENT_VERSION "\n", version.output);
}

TEST_F(PackageTest, InstallsTheCMakePackageFiles) {
  const fs::path package = libdir_ / "cmake" / "esent";
  for (const char* file : {"esentConfig.cmake", "esentConfigVersion.cmake", "esentTargets.cmake"}) {
    EXPECT_TRUE(fs::is_regular_file(package / file)) << package / file;
  }
  const std::string targets = ReadFile(package / "esentTargets.cmake");
  EXPECT_TRUE(Contains(targets, "add_library(esent::esent SHARED IMPORTED)")) << targets;
}

TEST_F(PackageTest, InstallsEsentutlBesideTheLibraryAndItRunsFromThere) {
  const fs::path esentutl = prefix_ / "bin" / "esentutl";
  ASSERT_TRUE(fs::is_regular_file(esentutl)) << esentutl;
  // No LD_LIBRARY_PATH: the tool finds the library installed beside it (its RUNPATH).
  const CommandResult help = RunCommand("env -u LD_LIBRARY_PATH " + Quote(esentutl.string()) + " --help");
  ASSERT_EQ(0, help.exit_code) << help.output;
  EXPECT_TRUE(Contains(help.output, "verify-backup")) << help.output;
  const CommandResult ldd = RunCommand("env -u LD_LIBRARY_PATH ldd " + Quote(esentutl.string()));
  ASSERT_EQ(0, ldd.exit_code) << ldd.output;
  const fs::path beside = prefix_ / "bin" / ".." / ESENT_INSTALL_LIBDIR / ("libesent.so." ESENT_SOVERSION);
  EXPECT_TRUE(Contains(ldd.output, "libesent.so." ESENT_SOVERSION " => " + beside.string())) << ldd.output;
}

TEST_F(PackageTest, ExamplesBuiltWithPkgConfigBackUpAndRestore) {
  const fs::path bin = root_ / "bin-pkg-config";
  fs::create_directories(bin);
  for (const char* example : {"streaming_backup", "backup_instance", "restore"}) {
    const fs::path source = fs::path(ESENT_SOURCE_DIR) / "examples" / (std::string(example) + ".c");
    // The README's one-liner, with warnings as errors so a warning in an example fails here.
    const CommandResult compile =
        RunCommand(Quote(ESENT_C_COMPILER) + " -std=c11 -Wall -Wextra -Werror " + Quote(source.string()) + " -o " +
            Quote((bin / example).string()) + " $(" + PkgConfigEnvironment() + Quote(ESENT_PKG_CONFIG) +
            " --cflags --libs esent)");
    ASSERT_EQ(0, compile.exit_code) << example << ":\n" << compile.output;
  }
  // A prefix outside the loader's search path: the programs find the library through
  // LD_LIBRARY_PATH, as the examples' README says.
  const std::string environment = "LD_LIBRARY_PATH=" + Quote(libdir_.string()) + " ";
  ExpectLinkedToInstalledLibrary(bin / "restore", environment);
  RunExamples(bin, environment);

  // A failing call ends the program with status 1 and a message naming the call and the error.
  const CommandResult missing =
      RunCommand(environment + Quote((bin / "restore").string()) + " " + Quote((root_ / "no-such-backup").string()) +
          " " + Quote((root_ / "nowhere").string()));
  EXPECT_EQ(1, missing.exit_code) << missing.output;
  EXPECT_TRUE(Contains(missing.output, "restore: JetRestoreInstanceA(")) << missing.output;
  EXPECT_TRUE(Contains(missing.output, "(JET_err")) << missing.output;
}

TEST_F(PackageTest, ExamplesBuiltWithCMakeFindPackageBackUpAndRestore) {
  const fs::path build = root_ / "bin-cmake";
  const CommandResult configure =
      RunCommand(Quote(ESENT_CMAKE_COMMAND) + " -S " + Quote((fs::path(ESENT_SOURCE_DIR) / "examples").string()) +
          " -B " + Quote(build.string()) + " -G " + Quote(ESENT_CMAKE_GENERATOR) +
          " -DCMAKE_C_COMPILER=" + Quote(ESENT_C_COMPILER) + " -DCMAKE_C_FLAGS=-Werror" +
          " -DCMAKE_PREFIX_PATH=" + Quote(prefix_.string()));
  ASSERT_EQ(0, configure.exit_code) << configure.output;
  const CommandResult compile = RunCommand(Quote(ESENT_CMAKE_COMMAND) + " --build " + Quote(build.string()));
  ASSERT_EQ(0, compile.exit_code) << compile.output;
  // CMake records the imported library's folder in the programs' RPATH: no environment needed.
  ExpectLinkedToInstalledLibrary(build / "restore", "");
  RunExamples(build, "");
}

}  // namespace
