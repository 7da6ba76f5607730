// The progress display of esentutl (progress.h).
#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace esentutl {
namespace {

Progress* active = nullptr;
constexpr int kBarWidth = 40;

}  // namespace

Progress::Progress(std::string label)
    : label_(std::move(label)), terminal_(isatty(STDERR_FILENO) != 0) {
  active = this;
}

Progress::~Progress() {
  finish();
  if (active == this) active = nullptr;
}

void Progress::update(std::uint64_t done, std::uint64_t total) {
  if (finished_ || total == 0) return;
  if (done > total) done = total;
  const int percent = static_cast<int>(done * 100 / total);
  if (terminal_) {
    if (percent == last_percent_) return;
    const int filled = percent * kBarWidth / 100;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %3d%%", label_.c_str(), bar.c_str(), percent);
    std::fflush(stderr);
  } else {
    if (percent / 10 == last_percent_ / 10 && last_percent_ >= 0) return;
    std::fprintf(stderr, "%s: %d%%\n", label_.c_str(), percent / 10 * 10);
  }
  last_percent_ = percent;
  shown_ = true;
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (shown_ && terminal_) std::fprintf(stderr, "\n");
}

JET_ERR JET_API Progress::status_callback(JET_SESID, JET_SNP, JET_SNT snt, void* data) {
  if (active != nullptr && snt == JET_sntProgress && data != nullptr) {
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    active->update(progress->cunitDone, progress->cunitTotal);
  }
  if (active != nullptr && snt == JET_sntComplete) active->update(1, 1);
  return JET_errSuccess;
}

}  // namespace esentutl
