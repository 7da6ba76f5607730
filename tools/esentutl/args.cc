// The small argument parser of esentutl (args.h has the grammar).
#include "args.h"

namespace esentutl {

std::optional<std::string> Args::get(const std::string& name) const {
  auto found = options.find(name);
  if (found == options.end()) return std::nullopt;
  return found->second;
}

namespace {

const OptionSpec* find_long(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const OptionSpec& spec : specs) {
    if (spec.long_name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* find_letter(const std::vector<OptionSpec>& specs, char letter) {
  for (const OptionSpec& spec : specs) {
    if (spec.windows_letter != 0 &&
        (spec.windows_letter == letter || spec.windows_letter == letter - 'A' + 'a')) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

std::string parse_args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs,
                       bool windows_style, Args& out) {
  for (int index = first; index < argc; ++index) {
    const std::string arg = argv[index];
    if (arg == "--json") {
      out.json = true;
    } else if (arg == "--help" || arg == "-h" || arg == "/?") {
      out.help = true;
    } else if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      std::string name = arg.substr(2);
      std::optional<std::string> value;
      const std::size_t equals = name.find('=');
      if (equals != std::string::npos) {
        value = name.substr(equals + 1);
        name = name.substr(0, equals);
      }
      const OptionSpec* spec = find_long(specs, name);
      if (spec == nullptr) return "unknown option --" + name;
      if (spec->takes_value) {
        if (!value.has_value()) {
          if (index + 1 >= argc) return "option --" + name + " needs a value";
          value = argv[++index];
        }
        out.options[name] = *value;
      } else {
        if (value.has_value()) return "option --" + name + " takes no value";
        out.options[name] = "";
      }
    } else if (windows_style && arg.size() >= 2 && arg[0] == '/' && !out.positionals.empty()) {
      if (arg == "/o" || arg == "/O") continue;  // "suppress the logo": we print none
      const OptionSpec* spec = find_letter(specs, arg[1]);
      if (spec == nullptr) return "unknown option " + arg;
      if (spec->takes_value) {
        std::string value = arg.substr(2);
        if (value.empty()) {
          if (index + 1 >= argc) return "option " + arg + " needs a value";
          value = argv[++index];
        }
        out.options[spec->long_name] = value;
      } else {
        if (arg.size() != 2) return "option " + arg.substr(0, 2) + " takes no value";
        out.options[spec->long_name] = "";
      }
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      return "unknown option " + arg;
    } else {
      out.positionals.push_back(arg);
    }
  }
  return "";
}

}  // namespace esentutl
