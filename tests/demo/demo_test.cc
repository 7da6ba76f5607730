// The README's main job as a test: runs the real esent-demo binary (small sizes) and checks its
// exit code and the verdicts it prints; and the API tour (esent-demo --tour).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct DemoRun {
  int exit_code = -1;
  std::string output;
};

DemoRun run_demo(const std::string& arguments) {
  DemoRun run;
  const std::string command = std::string(ESENT_DEMO_PATH) + " " + arguments + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) run.output += chunk.data();
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string fresh_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() / ("esent-demo-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  return folder.string();
}

void expect_line(const std::string& output, const std::string& text) {
  EXPECT_NE(output.find(text), std::string::npos) << "missing: " << text << "\n--- output ---\n" << output;
}

TEST(Demo, BackupWhileWritingIncrementalWipeRestoreAndEveryRowChecked) {
  const std::string folder = fresh_folder("main");
  const DemoRun run = run_demo("--rows 5000 " + folder);
  EXPECT_EQ(0, run.exit_code) << run.output;
  EXPECT_EQ(std::string::npos, run.output.find("FAILED")) << run.output;
  expect_line(run.output, "every loaded row and every acknowledged commit is there  ok");
  expect_line(run.output, "every row holds what was written                         ok");
  expect_line(run.output, "no row that was never committed                          ok");
  expect_line(run.output, "the restored database is clean                           ok");
  expect_line(run.output, "demonstration complete");
  std::filesystem::remove_all(folder);
}

TEST(Demo, TheTourOfTheApiCompletes) {
  const std::string folder = fresh_folder("tour");
  const DemoRun run = run_demo("--tour " + folder);
  EXPECT_EQ(0, run.exit_code) << run.output;
  EXPECT_EQ(std::string::npos, run.output.find("FAILED")) << run.output;
  expect_line(run.output, "tour complete");
  std::filesystem::remove_all(folder);
}

TEST(Demo, BadArgumentsGetTheUsageAndExitCodeTwo) {
  EXPECT_EQ(2, run_demo("").exit_code);
  EXPECT_EQ(2, run_demo("--rows 0 /tmp/x").exit_code);
  EXPECT_EQ(2, run_demo("--bogus /tmp/x").exit_code);
}

}  // namespace
