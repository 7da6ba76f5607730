// Assembling the backup chain and restoring it (restore_chain.h).
#include "restore_chain.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "demo_steps.h"
#include "workload.h"

namespace demo {

namespace {

// The JET_snpRestore callback: the checks, each quarter of the copy and replay, the end.
JET_ERR JET_API on_restore_status(JET_SESID, JET_SNP snp, JET_SNT snt, void* data) {
  static JET_UINT32 shown = 0;
  if (snp != JET_snpRestore) return JET_errSuccess;
  if (snt == JET_sntBegin) {
    shown = 0;
    std::printf("      the set checked (every log block, the image's header and trailer); copying\n");
  } else if (snt == JET_sntProgress && data != nullptr) {
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    const JET_UINT32 percent = progress->cunitTotal == 0 ? 100 : progress->cunitDone * 100 / progress->cunitTotal;
    if (percent >= shown + 25) {
      shown = percent - percent % 25;
      std::printf("      %3u%%  (%u of %u units: the copy, then the log replay)\n", static_cast<unsigned>(shown),
                  static_cast<unsigned>(progress->cunitDone), static_cast<unsigned>(progress->cunitTotal));
    }
  } else if (snt == JET_sntComplete) {
    std::printf("      replay complete, databases closed clean\n");
  }
  return JET_errSuccess;
}

// Copies the regular files of `from` into `to`; returns false on an error.
bool copy_files(const std::string& from, const std::string& to, RestoreReport* report) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(from, error)) {
    if (!entry.is_regular_file()) continue;
    const auto target = std::filesystem::path(to) / entry.path().filename();
    if (!std::filesystem::copy_file(entry.path(), target, std::filesystem::copy_options::overwrite_existing, error)) {
      return false;
    }
    report->set_bytes += entry.file_size();
    ++report->set_files;
  }
  return !error;
}

}  // namespace

int restore_chain(const std::string& full, const std::string& incremental, const std::string& chain,
                  const std::string& live_folder, RestoreReport* report) {
  DemoSteps steps;
  std::error_code error;
  std::filesystem::create_directories(chain, error);
  const bool copied = !error && copy_files(full, chain, report) && copy_files(incremental, chain, report);
  std::printf("    %-56s %s\n", "the chain: the full set, then the incremental's logs",
              copied ? "ok" : "FAILED");
  if (!copied) ++steps.failures;

  JET_INSTANCE instance = 0;
  steps.check("JetCreateInstance(\"restore\")", JetCreateInstance(&instance, "restore"));
  JetSetSystemParameter(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr);
  JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, (live_folder + "/logs/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, (live_folder + "/").c_str());
  const auto started = std::chrono::steady_clock::now();
  steps.check("JetRestoreInstance(chain, to the original place)",
              JetRestoreInstance(instance, chain.c_str(), nullptr, on_restore_status));
  report->seconds = seconds_since(started);
  // The instance is left created, not initialised: end it.
  JetTerm(instance);
  return steps.failures;
}

}  // namespace demo
