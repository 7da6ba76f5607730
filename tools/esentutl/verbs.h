// The verbs of esentutl. Each verb names its GNU-style word, its Windows esentutl switch (if
// it has one), its options and a run function; main.cc dispatches on this table and prints the
// help from it. Every run function returns the process exit code (output.h).
#pragma once

#include <string>
#include <vector>

#include "args.h"

namespace esentutl {

struct Verb {
  const char* name;         // "header"
  const char* windows;      // "/mh", or nullptr
  const char* synopsis;     // "header <database>"
  const char* description;  // one paragraph
  std::size_t min_positionals;
  std::size_t max_positionals;
  std::vector<OptionSpec> options;
  int (*run)(const Args& args);
};

const std::vector<Verb>& verbs();

// The verbs, one file per family.
int run_header(const Args& args);         // header_verb.cc
int run_log_header(const Args& args);     // log_verbs.cc
int run_checkpoint(const Args& args);     // checkpoint_verb.cc
int run_checksum(const Args& args);       // checksum_verb.cc
int run_recover(const Args& args);        // instance_verbs.cc
int run_restore(const Args& args);        // instance_verbs.cc
int run_backup(const Args& args);         // instance_verbs.cc
int run_verify_backup(const Args& args);  // instance_verbs.cc
int run_copy(const Args& args);           // copy_verb.cc

}  // namespace esentutl
