// Progress of a long operation on stderr: a bar redrawn in place when stderr is a terminal,
// plain "label: N%" lines (every 10%) otherwise, so logs of scripted runs stay readable.
// The library reports progress through JET_PFNSTATUS, which carries no context: status_callback
// forwards to the one Progress that is active (esentutl runs one operation at a time).
#pragma once

#include <esent.h>

#include <cstdint>
#include <string>

namespace esentutl {

class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(std::uint64_t done, std::uint64_t total);
  // Ends the line (terminal) or prints the last line; called by the destructor if not before.
  void finish();

  // A JET_PFNSTATUS that forwards sntProgress to the active Progress.
  static JET_ERR JET_API status_callback(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* data);

 private:
  std::string label_;
  bool terminal_;
  bool shown_ = false;
  bool finished_ = false;
  int last_percent_ = -1;
};

}  // namespace esentutl
