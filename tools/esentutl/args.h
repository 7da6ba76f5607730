// esentutl's command line: a verb, then its arguments. Two spellings are accepted:
//   Windows esentutl's:  /mh db.edb, /y src.edb /ddest.edb, /r E00 /llogs /ssys
//     (an option is `/x<value>` or `/x <value>`; the verb's main argument is the one right after
//     the verb, so an absolute Linux path there is never read as an option);
//   GNU style:           header db.edb, copy src.edb dest.edb, --log-folder DIR, --json.
// Both are turned into one Args: positional arguments in order, and named options (long names;
// Windows letters are mapped to them by each verb's table).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace esentutl {

// One option a verb accepts.
struct OptionSpec {
  std::string long_name;  // "log-folder"
  char windows_letter;    // 'l' for /l<path>; 0: none
  bool takes_value;       // --log-folder DIR; false: a flag
  const char* help;
};

struct Args {
  std::vector<std::string> positionals;
  std::map<std::string, std::string> options;  // long name → value ("" for flags)
  bool json = false;
  bool help = false;

  bool has(const std::string& name) const { return options.count(name) != 0; }
  std::optional<std::string> get(const std::string& name) const;
};

// Parses argv[first, argc) against `specs` (plus --json and --help, -h, /?, /o which is
// ignored as in Windows esentutl). `windows_style`: /x options are recognised after the main
// argument. Returns an error message, or "" on success.
std::string parse_args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs,
                       bool windows_style, Args& out);

}  // namespace esentutl
