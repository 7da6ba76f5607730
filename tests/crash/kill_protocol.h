// The pipe protocol between crash_child (tests/crash/crash_child.cc) and the SIGKILL tests that
// spawn it (tests/api/crash_kill_internal_test.cc, tests/api/crash_oracle_internal_test.cc).
//
// The child writes one line per event to standard output, each with one write(2) (shorter than
// PIPE_BUF, so lines never interleave), in an order consistent with real time: a line written
// after another was written describes something that happened after it.
//   - Commit events of the oracle workload: "S s i", "R s i", "F s i" (crash_oracle.h,
//     event_line / parse_event_line), written before the commit call and after it returned.
//   - Backup and restore events: "K <letter> <number> <value>". <number> counts the child's
//     backups from 0 (always 0 for a restore); <value> depends on the letter (below). An event
//     named "before X" is written before the call X starts, "after X" once it returned.
//
// Streaming backup (mode "stream"), per backup n; value = 1 for incremental, 0 for full:
//   B before Begin, D before the databases are streamed (GetAttachInfo, Open/Read/Close),
//   L before GetLogInfo, G after it (the logs are then streamed), T before TruncateLog, t after,
//   E before End, e after End (the backup is over).
// JetBackupInstance (mode "instance"), per backup n; value = kAtomicFlag | kIncrementalFlag:
//   B before the call; b on JET_sntBegin, P on each JET_sntProgress (value: cunitDone in percent
//   of cunitTotal; 100 once every file is copied, before the manifest and the promotion), C on
//   JET_sntComplete; e after it returned success (value as for B).
// Restore (mode "restore"): b on JET_sntBegin, P on each JET_sntProgress (value: percent),
//   C on JET_sntComplete, e after JetRestoreInstance returned success.
// Any mode: X when a call failed (value: -JET_ERR); the child then exits with status 3.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace esent_kill {

inline constexpr std::uint32_t kAtomicFlag = 1;
inline constexpr std::uint32_t kIncrementalFlag = 2;

struct PhaseEvent {
  char letter = 0;
  std::uint32_t number = 0;
  std::uint32_t value = 0;
};

inline std::string phase_line(const PhaseEvent& event) {
  return "K " + std::string(1, event.letter) + " " + std::to_string(event.number) + " " +
         std::to_string(event.value) + "\n";
}

// The event of a "K ..." line (without its newline); nullopt for any other line.
inline std::optional<PhaseEvent> parse_phase_line(const std::string& line) {
  if (line.size() < 2 || line[0] != 'K' || line[1] != ' ') return std::nullopt;
  char letter = 0;
  unsigned number = 0;
  unsigned value = 0;
  if (std::sscanf(line.c_str(), "K %c %u %u", &letter, &number, &value) != 3) return std::nullopt;
  return PhaseEvent{letter, number, value};
}

}  // namespace esent_kill
