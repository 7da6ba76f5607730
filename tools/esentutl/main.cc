// esentutl for Linux: Windows esentutl's verbs where they apply (/mh /ml /mk /k /r /c /y), the
// same under GNU-style words, and backup / restore / verify-backup. Built on the public API
// only (<esent.h>, <esent_ext.h>, libesent.so). docs/esentutl.md is the manual.
#include <cstdio>
#include <cstring>
#include <string>

#include "output.h"
#include "verbs.h"

namespace esentutl {
namespace {

void print_verb_help(const Verb& verb) {
  std::printf("usage: esentutl %s [options]\n", verb.synopsis);
  if (verb.windows != nullptr)
    std::printf("       esentutl %s ... (Windows esentutl's switch)\n", verb.windows);
  std::printf("\n%s\n\noptions:\n", verb.description);
  for (const OptionSpec& option : verb.options) {
    std::string name = "--" + option.long_name + (option.takes_value ? " VALUE" : "");
    if (option.windows_letter != 0 && verb.windows != nullptr) {
      name += std::string(", /") + option.windows_letter + (option.takes_value ? "VALUE" : "");
    }
    std::printf("  %-34s %s\n", name.c_str(), option.help);
  }
  std::printf("  %-34s %s\n", "--json",
              "print one JSON object on stdout (docs/esentutl.md lists the keys)");
  std::printf("  %-34s %s\n", "--help", "this help");
}

void print_help() {
  std::printf(
      "usage: esentutl <verb> [arguments] [--json] [--help]\n\n"
      "Inspects, checks, recovers, backs up and restores libesent (ESENT-format) databases and\n"
      "log sets. Exit code: 0 success, 1 the operation failed or found damage (the JET_ERR is\n"
      "printed), 2 a wrong command line.\n\nverbs:\n");
  for (const Verb& verb : verbs()) {
    std::string name = verb.synopsis;
    std::printf("  %-44s %s\n", name.c_str(), verb.windows != nullptr ? verb.windows : "");
  }
  std::printf("\n'esentutl <verb> --help' describes a verb and its options.\n");
}

const Verb* find_verb(const std::string& word) {
  for (const Verb& verb : verbs()) {
    if (word == verb.name) return &verb;
    if (verb.windows != nullptr &&
        (word == verb.windows || word == std::string("-") + (verb.windows + 1))) {
      return &verb;
    }
  }
  // Windows switches are case-insensitive.
  std::string lower = word;
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const Verb& verb : verbs()) {
    if (verb.windows != nullptr && lower == verb.windows) return &verb;
  }
  return nullptr;
}

int run(int argc, char** argv) {
  if (argc < 2) {
    print_help();
    return kExitUsage;
  }
  const std::string word = argv[1];
  if (word == "--help" || word == "-h" || word == "help" || word == "/?") {
    print_help();
    return kExitOk;
  }
  bool json = false;
  for (int i = 2; i < argc; ++i) json = json || std::strcmp(argv[i], "--json") == 0;
  const Verb* verb = find_verb(word);
  if (verb == nullptr) return report_usage(json, "", "unknown verb '" + word + "'");
  const bool windows_style = word[0] == '/' || word[0] == '-';
  Args args;
  const std::string error = parse_args(argc, argv, 2, verb->options, windows_style, args);
  if (!error.empty()) return report_usage(json, verb->name, error);
  if (args.help) {
    print_verb_help(*verb);
    return kExitOk;
  }
  if (args.positionals.size() < verb->min_positionals) {
    return report_usage(json, verb->name,
                        "missing argument: esentutl " + std::string(verb->synopsis));
  }
  if (args.positionals.size() > verb->max_positionals) {
    return report_usage(json, verb->name, "unexpected argument '" + args.positionals.back() + "'");
  }
  return verb->run(args);
}

}  // namespace
}  // namespace esentutl

int main(int argc, char** argv) { return esentutl::run(argc, argv); }
